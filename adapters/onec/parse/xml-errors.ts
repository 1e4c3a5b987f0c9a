// saxes reports "file:line:column: message"; these are the ones a broken 1C upload produces.
const LOCATED = /^(?:.*?:)?(\d+):(\d+): (.*)$/;

const PLAIN: [RegExp, string][] = [
  [
    /XML declaration must (?:be|appear) at the start/i,
    'Второе объявление <?xml ...?> в середине файла: похоже, две выгрузки склеены в один файл / a second XML declaration in the middle of the file',
  ],
  [/unclosed tag|document must contain a root element/i, 'Файл оборвался: XML не дописан до конца / the file is truncated'],
  [
    /text data outside of root node|disallowed character|non-whitespace before first tag|unexpected end/i,
    'Это не XML или в файле посторонние байты / not XML, or stray bytes in the file',
  ],
];

/** A saxes error in plain words, with its line when saxes gave one. */
export function xmlErrorMessage(raw: string): { message: string; line?: number } {
  const m = LOCATED.exec(raw);
  const detail = m?.[3] ?? raw;
  const line = m?.[1] === undefined ? undefined : Number(m[1]);
  const plain = PLAIN.find(([re]) => re.test(detail))?.[1];
  const message = plain ? `${plain} (${detail})` : `Ошибка в XML / XML error: ${detail}`;
  return line === undefined ? { message } : { message, line };
}
