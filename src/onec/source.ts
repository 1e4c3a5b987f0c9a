import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sameName, zipEntry } from './zip.js';
import { ValidationError } from '../sdk/errors.js';
import type { AccountStore } from '../store/index.js';

/** An uploaded file's bytes, and what to do once they are read. */
export interface Source {
  bytes: AsyncIterable<Buffer>;
  done(): void;
}

/**
 * Copies an upload out of the database into a temporary file. The file is applied inside a transaction,
 * and reading the upload from the same database meanwhile would wait on it (the embedded database has
 * one connection).
 */
async function copyOut(store: AccountStore, session: string, name: string): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'svodka-1c-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'upload');
  try {
    await pipeline(Readable.from(store.onec.read(session, name)), createWriteStream(path));
  } catch (e) {
    remove();
    throw e;
  }
  return { path, remove };
}

/**
 * The file 1C asked to import in this session: uploaded as it is, or inside an uploaded zip archive
 * (with zip=yes 1C sends one archive and then asks for each file in it).
 */
export async function uploadedFile(store: AccountStore, session: string, file: string): Promise<Source> {
  const files = await store.onec.files(session);
  const direct = files.find((f) => f.name === file) ?? files.find((f) => sameName(f.name, file) && !/\.zip$/i.test(f.name));
  if (direct) {
    const copy = await copyOut(store, session, direct.name);
    return { bytes: createReadStream(copy.path) as AsyncIterable<Buffer>, done: copy.remove };
  }
  for (const z of files.filter((f) => /\.zip$/i.test(f.name))) {
    const copy = await copyOut(store, session, z.name);
    const entry = await zipEntry(copy.path, file).catch((e: unknown) => {
      copy.remove();
      throw e;
    });
    if (entry) return { bytes: entry, done: copy.remove };
    copy.remove();
  }
  throw new ValidationError(`файл ${file} не был передан / the file ${file} was not uploaded`);
}
