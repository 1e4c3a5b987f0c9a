import iconv from 'iconv-lite';
import { CmlError } from './errors.js';

type Input = NodeJS.ReadableStream | AsyncIterable<Buffer | string>;
interface Decoder {
  write(chunk: Buffer): string;
  end(): string | undefined;
}

const HEAD_BYTES = 512;
const ENCODING = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/;

/**
 * Turns the bytes of an XML file into text in the encoding its declaration names (UTF-8 when none),
 * without a BOM. Only the first bytes are held back, to read the declaration.
 */
export async function* decodeXml(input: Input): AsyncGenerator<string> {
  let decoder: Decoder | undefined;
  let head: Buffer = Buffer.alloc(0);
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (decoder) {
      yield decoder.write(chunk);
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < HEAD_BYTES && !head.includes('?>')) continue;
    decoder = pickDecoder(head);
    yield decoder.write(stripBom(head));
  }
  if (!decoder) {
    if (head.length === 0) throw new CmlError('Файл пуст / the file is empty', 1);
    decoder = pickDecoder(head);
    yield decoder.write(stripBom(head));
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

function stripBom(b: Buffer): Buffer {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}

function pickDecoder(head: Buffer): Decoder {
  if (head[0] === 0x50 && head[1] === 0x4b) {
    throw new CmlError('Это zip-архив, а не XML: распакуйте его / this is a zip archive, not XML: unpack it first', 1);
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new CmlError('Файл в UTF-16: выгрузите его в UTF-8 или windows-1251 / UTF-16 files are not supported', 1);
  }
  const declared = ENCODING.exec(stripBom(head).toString('latin1'))?.[1]?.trim().toLowerCase() ?? 'utf-8';
  if (declared === 'utf-8' || declared === 'utf8') return utf8();
  if (!iconv.encodingExists(declared)) {
    throw new CmlError(`Неизвестная кодировка «${declared}» в заголовке XML / unknown encoding "${declared}"`, 1);
  }
  const inner = iconv.getDecoder(declared);
  return { write: (b) => inner.write(b), end: () => inner.end() };
}

function utf8(): Decoder {
  // fatal: a windows-1251 file that claims UTF-8 stops here instead of turning into question marks.
  const td = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const fail = (): never => {
    throw new CmlError(
      'Файл объявлен как UTF-8, но содержит байты не в UTF-8 (возможно, он в windows-1251) / the file says UTF-8 but is not',
    );
  };
  return {
    write: (b) => {
      try {
        return td.decode(b, { stream: true });
      } catch {
        return fail();
      }
    },
    end: () => {
      try {
        return td.decode();
      } catch {
        // An unfinished character at the very end: the upload was cut.
        throw new CmlError('Файл оборвался посреди символа: XML не дописан до конца / the file is truncated');
      }
    },
  };
}
