/** Reads the CLI's JSON inputs with messages that name the file and the position of a syntax error. */
import { readFile } from 'node:fs/promises';
import { CliInputError } from './errors.js';
import { findJsonSyntaxError } from './json-syntax.js';

/** `line L, column C` of a 0-based character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** A JSON syntax error's message, with the position as line and column. */
function describeSyntaxError(error: Error, text: string): string {
  const found = findJsonSyntaxError(text);
  return found === undefined ? error.message : `${found.problem} at ${lineAndColumn(text, found.offset)}`;
}

/**
 * Reads and parses a JSON file.
 *
 * @throws {CliInputError} when the file cannot be read or is not valid JSON.
 */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : error instanceof Error ? error.message : String(error);
    throw new CliInputError(file, `cannot be read: ${why}`);
  }
  const body = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new CliInputError(file, `is not valid JSON: ${describeSyntaxError(error instanceof Error ? error : new Error(String(error)), body)}`);
  }
}
