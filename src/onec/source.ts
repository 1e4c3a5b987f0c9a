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
 * The file 1C asked to import in this session: uploaded as it is, or inside an uploaded zip archive
 * (with zip=yes 1C sends one archive and then asks for each file in it).
 */
export async function uploadedFile(store: AccountStore, session: string, file: string): Promise<Source> {
  const files = await store.onec.files(session);
  const direct = files.find((f) => f.name === file) ?? files.find((f) => sameName(f.name, file) && !/\.zip$/i.test(f.name));
  if (direct) {
    // Copied out first: the file is applied inside a transaction, and reading the upload from the same
    // database meanwhile would wait on it (the embedded database has one connection).
    const dir = mkdtempSync(join(tmpdir(), 'svodka-1c-'));
    const path = join(dir, 'upload.xml');
    try {
      await pipeline(Readable.from(store.onec.read(session, direct.name)), createWriteStream(path));
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return { bytes: createReadStream(path) as AsyncIterable<Buffer>, done: () => rmSync(dir, { recursive: true, force: true }) };
  }
  for (const z of files.filter((f) => /\.zip$/i.test(f.name))) {
    const dir = mkdtempSync(join(tmpdir(), 'svodka-1c-'));
    const path = join(dir, 'upload.zip');
    await pipeline(Readable.from(store.onec.read(session, z.name)), createWriteStream(path));
    const entry = await zipEntry(path, file).catch((e: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    });
    if (entry) return { bytes: entry, done: () => rmSync(dir, { recursive: true, force: true }) };
    rmSync(dir, { recursive: true, force: true });
  }
  throw new ValidationError(`файл ${file} не был передан / the file ${file} was not uploaded`);
}
