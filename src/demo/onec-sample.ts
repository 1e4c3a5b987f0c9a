import { escape } from '../dashboard/html/html.js';

/** A product of the demo catalogue as the CRM holds it (article = the CRM product's code). */
export interface SampleProduct {
  article: string;
  name: string;
  price: string;
}

const guid = (n: number) => `5a3d0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PRICE_TYPE = '7c000000-0000-4000-8000-00000000d3e0';
const head = `<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08" ДатаФормирования="2026-01-01T09:00:00">`;

/**
 * A full 1C exchange (import.xml + offers.xml, CommerceML 2.08) for the demo's catalogue: every CRM
 * product by its article, a few prices raised, a few items out of stock, and two items the CRM does not
 * have, so that each list on the 1C page has something in it. Deterministic: same input, same files.
 */
export function sampleExchange(products: readonly SampleProduct[]): { 'import.xml': string; 'offers.xml': string } {
  const items = [
    ...products.map((p, i) => ({ ...p, id: guid(i + 1) })),
    { article: 'ONEC-ONLY-1', name: 'Кабель монтажный (только в 1С)', price: '1490.00', id: guid(90_001) },
    { article: 'ONEC-ONLY-2', name: 'Стойка серверная (только в 1С)', price: '84900.00', id: guid(90_002) },
  ];
  const goods = items
    .map((p) => `<Товар><Ид>${p.id}</Ид><Артикул>${escape(p.article)}</Артикул><Наименование>${escape(p.name)}</Наименование><БазоваяЕдиница Код="796">шт</БазоваяЕдиница></Товар>`)
    .join('\n');
  const offers = items
    .map((p, i) => {
      // Every fifth price went up 10 % in 1C; every seventh item ran out.
      const price = i % 5 === 0 ? ((Math.round(Number(p.price) * 110) / 100).toFixed(2)) : Number(p.price).toFixed(2);
      const quantity = i % 7 === 0 ? 0 : 5 + (i % 40);
      return `<Предложение><Ид>${p.id}</Ид><Артикул>${escape(p.article)}</Артикул><Наименование>${escape(p.name)}</Наименование><Цены><Цена><ИдТипаЦены>${PRICE_TYPE}</ИдТипаЦены><ЦенаЗаЕдиницу>${price}</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена></Цены><Количество>${quantity}</Количество></Предложение>`;
    })
    .join('\n');
  return {
    'import.xml': `${head}
<Классификатор><Ид>c1a55000-0000-4000-8000-00000000d3e0</Ид><Наименование>Классификатор (демо)</Наименование></Классификатор>
<Каталог СодержитТолькоИзменения="false"><Ид>ca7a1000-0000-4000-8000-00000000d3e0</Ид><ИдКлассификатора>c1a55000-0000-4000-8000-00000000d3e0</ИдКлассификатора><Наименование>Каталог (демо)</Наименование><Товары>
${goods}
</Товары></Каталог></КоммерческаяИнформация>\n`,
    'offers.xml': `${head}
<ПакетПредложений СодержитТолькоИзменения="false"><Ид>ca7a1000-0000-4000-8000-00000000d3e0#</Ид><Наименование>Пакет предложений (демо)</Наименование><ИдКаталога>ca7a1000-0000-4000-8000-00000000d3e0</ИдКаталога><ИдКлассификатора>c1a55000-0000-4000-8000-00000000d3e0</ИдКлассификатора>
<ТипыЦен><ТипЦены><Ид>${PRICE_TYPE}</Ид><Наименование>Розничная</Наименование><Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
<Предложения>
${offers}
</Предложения></ПакетПредложений></КоммерческаяИнформация>\n`,
  };
}
