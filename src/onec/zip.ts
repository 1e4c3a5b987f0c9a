import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ValidationError } from '../sdk/errors.js';

export const sameName = (a: string, b: string): boolean => a === b || basename(a) === basename(b);

function open(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

/** The first entry whose name matches, or undefined at the end of the directory. */
function find(zip: ZipFile, name: string): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry) => {
      if (!entry.fileName.endsWith('/') && sameName(entry.fileName, name)) {
        cleanup();
        resolve(entry);
      } else zip.readEntry();
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** An entry of a zip archive on disk, by name as 1C gives it (with or without its folder), streamed. */
export async function zipEntry(zipPath: string, name: string): Promise<AsyncIterable<Buffer> | undefined> {
  let zip: ZipFile;
  let entry: Entry | undefined;
  try {
    zip = await open(zipPath);
    entry = await find(zip, name);
  } catch (e) {
    throw new ValidationError(`архив повреждён / the zip archive is damaged: ${(e as Error).message}`);
  }
  if (!entry) {
    zip.close();
    return undefined;
  }
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err ? reject(new ValidationError(`архив повреждён / the zip archive is damaged: ${err.message}`)) : resolve(s))),
  );
  return (async function* () {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      zip.close();
    }
  })();
}

/** The names of the files in a zip archive, in archive order. */
export async function zipNames(zipPath: string): Promise<string[]> {
  let zip: ZipFile;
  try {
    zip = await open(zipPath);
  } catch (e) {
    throw new ValidationError(`архив повреждён / the zip archive is damaged: ${(e as Error).message}`);
  }
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      if (!entry.fileName.endsWith('/')) names.push(entry.fileName);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return names;
}
