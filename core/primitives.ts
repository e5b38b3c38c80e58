/** Field schemas shared by several documents. */
import { z } from 'zod';
import { LEVEL1_SLUGS, isLevel1, normalizeLevel1 } from './taxonomy';

/** Lowercase kebab-case: safe in artifact keys, file names and search attributes. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug such as "persona-a" (a-z, 0-9, single dashes)');

/**
 * An id that becomes one segment of an artifact key: no slash and no leading dot, so a key built
 * from it can never climb out of its folder.
 */
export const KeySegmentSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-", starting with a letter or digit');

/** ISO 8601 with a Z or an explicit offset, so records from different machines order correctly. */
export const TimestampSchema = z.iso.datetime({ offset: true });

export const RateSchema = z.number().min(0).max(1);

/** A server address: http(s) only, so `localhost:8000` (a URL with scheme "localhost:") is refused when read, not when first used. */
export const HttpUrlSchema = z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' });

export function unknownLevel1Message(label: string): string {
  const slug = normalizeLevel1(label);
  return slug
    ? `unknown level-1 category "${label}": use its slug "${slug}"`
    : `unknown level-1 category "${label}": expected one of ${LEVEL1_SLUGS.join(', ')}`;
}

export const Level1SlugSchema = z.string().superRefine((label, ctx) => {
  if (!isLevel1(label)) ctx.addIssue({ code: 'custom', message: unknownLevel1Message(label) });
});
