import { decodeXml } from './decode.js';
import { CmlReader } from './reader.js';
import type { CmlItem, ReadCmlOptions } from './types.js';

/**
 * Reads a CommerceML file as a stream of items, never holding the whole document: memory stays flat
 * for a 400 MB file. The header comes first; price types and warehouses come before the offers that
 * use them. Throws CmlError (CmlNotCatalogError for orders and query replies).
 */
export async function* readCml(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  options: ReadCmlOptions = {},
): AsyncGenerator<CmlItem> {
  const reader = new CmlReader(options);
  try {
    for await (const text of decodeXml(input)) {
      reader.write(text);
      yield* reader.take();
    }
    reader.end();
  } catch (e) {
    throw reader.wrap(e);
  }
  yield* reader.take();
}
