import { unzipSync } from 'fflate';

/** A spreadsheet this large unpacked is not an ad report; the limit keeps a zip bomb out. */
const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

export class ZipError extends Error {}

/**
 * The parts of an XLSX workbook held in memory (fflate, synchronous: the spend parser is). Only the
 * workbook's own parts are unpacked, each refused above the size limit before it is inflated.
 */
export class ZipReader {
  private readonly files: Record<string, Uint8Array>;

  constructor(buf: Buffer) {
    try {
      this.files = unzipSync(buf, {
        filter: (f) => {
          if (!f.name.startsWith('xl/')) return false;
          if (f.originalSize > MAX_ENTRY_BYTES) throw new ZipError(`"${f.name}" is too large`);
          return true;
        },
      });
    } catch (e) {
      if (e instanceof ZipError) throw e;
      throw new ZipError(`not a readable zip archive: ${(e as Error).message}`);
    }
  }

  read(name: string): Buffer | undefined {
    const data = this.files[name];
    return data && Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
}
