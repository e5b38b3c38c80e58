/** What the agent sees of one video. */
import { z } from 'zod';
import { Level1SlugSchema, TimestampSchema } from './primitives';
import { PlatformSchema } from './platforms';
import { parentLevel1 } from './taxonomy';
import { ContentLabelSchema } from './content-label';

// The platform registry (core/platforms.ts) is the one list; re-exported here for existing importers.
export { PLATFORMS, PlatformSchema, type Platform } from './platforms';

export const ObservationSchema = z
  .object({
    platform: PlatformSchema,
    videoId: z.string().min(1),
    title: z.string(),
    creator: z.string(),
    /** Empty when the category is unknown; several labels when the video fits several. */
    level1: z.array(Level1SlugSchema),
    level2: z.array(z.string().min(1)),
    /** The platform's own tags or category names, as it gave them (real platforms). */
    tags: z.array(z.string()).optional(),
    /** Where level1/level2 came from and how sure it is (records written before labels existed have none). */
    label: ContentLabelSchema.optional(),
    durationSeconds: z.number().nonnegative(),
    url: z.url().optional(),
    screenshotKey: z.string().min(1).optional(),
    observedAt: TimestampSchema,
  })
  .superRefine((observation, ctx) => {
    // Each level-2 label must hang under one of the video's level-1 labels, so weighted diversity
    // can attribute it.
    observation.level2.forEach((label, i) => {
      const parent = parentLevel1(label);
      if (parent === undefined) {
        ctx.addIssue({ code: 'custom', path: ['level2', i], message: `unknown level-2 category "${label}"` });
      } else if (!observation.level1.includes(parent)) {
        ctx.addIssue({
          code: 'custom',
          path: ['level2', i],
          message: `level-2 category "${label}" belongs to "${parent}", which is not among level1 [${observation.level1.join(', ')}]`,
        });
      }
    });
  });

export type Observation = z.output<typeof ObservationSchema>;
