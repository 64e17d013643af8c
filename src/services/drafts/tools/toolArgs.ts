/**
 * Cheap checks of a tool's arguments where the services receive them. The
 * REST and MCP edges validate bodies with the zod schemas of src/tools
 * first; these guards keep a direct caller (the shell, a test) from passing
 * the wrong type or a value past a documented limit. Every refusal is
 * EINVAL naming the argument in `details.field`.
 */
import { GroveError } from '../../../errors.ts';

export function invalidArg(field: string, message: string, details: Record<string, unknown> = {}): GroveError {
  return new GroveError('EINVAL', message, { field, ...details });
}

/** The arguments object itself (not null, not an array). */
export function argsObject(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw invalidArg('arguments', 'the arguments must be a JSON object');
  return args as Record<string, unknown>;
}

export function stringArg(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidArg(field, `${field} must be a string`);
  return value;
}

export function optionalStringArg(value: unknown, field: string, fallback: string): string {
  return value === undefined ? fallback : stringArg(value, field);
}

export function boolArg(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArg(field, `${field} must be true or false`);
  return value;
}

/** An integer in `min..max`, or `fallback` when absent. */
export function intArg(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArg(field, `${field} must be an integer from ${min} to ${max}`, { min, max });
  }
  return value;
}

/** A list of at most `max` strings ([] when absent). */
export function stringListArg(value: unknown, field: string, max: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidArg(field, `${field} must be a list of strings`);
  if (value.length > max) throw invalidArg(field, `${field} holds more than ${max} items`, { max });
  return value as string[];
}
