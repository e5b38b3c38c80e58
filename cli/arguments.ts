/** Option parsers shared by the commands: each names what it expects when a value is wrong. */
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { isPlatform, unsupportedPlatformMessage, type Platform } from '../core/platforms';
import { SlugSchema } from '../core/primitives';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

/** The sandbox accepts clocks up to 1000x (sandbox/config.ts). */
export function timeScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new InvalidArgumentError('must be a number in (0, 1000].');
  return n;
}

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('not a port number (1-65535).');
  return n;
}

/** A persona id: lowercase letters and digits between single dashes (core/primitives SlugSchema). */
export function slugArgument(value: string): string {
  const parsed = SlugSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return value;
}

/** A platform of the registry (core/platforms.ts); any other name is refused with the list. */
export function platformArgument(value: string): Platform {
  if (!isPlatform(value)) throw new InvalidArgumentError(`${unsupportedPlatformMessage(value)}.`);
  return value;
}

/** A string option checked by a zod schema; the schema's first message tells what is wrong. */
export const matchingSchema = (schema: z.ZodType<string>) => (value: string): string => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return value;
};
