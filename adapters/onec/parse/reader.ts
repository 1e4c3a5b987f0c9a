import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { attr, clean, localName } from './attrs.js';
import { detectKind } from './detect-kind.js';
import { CmlError, CmlNotCatalogError } from './errors.js';
import { HeaderState, isPackage, parseBool } from './header.js';
import { OfferBuilder } from './offer.js';
import { ProductBuilder } from './product.js';
import { RefBuilder } from './ref.js';
import type { CmlItem, CmlKind, ReadCmlOptions } from './types.js';
import { xmlErrorMessage } from './xml-errors.js';

const NONE = 0;
const PRODUCT = 1;
const OFFER = 2;
const PRICE_TYPE = 3;
const WAREHOUSE = 4;
// Fields of the sections themselves (Каталог/Ид, ПакетПредложений/Ид, ...), captured at depth 3.
const SECTION_ID = 1;
const SECTION_CATALOG_ID = 2;
const SECTION_ONLY_CHANGES = 3;

/**
 * Push-based CommerceML reader: feed it text, take the items it has found. It keeps only the element
 * path and the one entity being built, so memory does not depend on the size of the file.
 */
export class CmlReader {
  private out: CmlItem[] = [];
  private pending: CmlItem[] = [];
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly header: HeaderState;
  private readonly priceTypes: Set<string>;
  private readonly products = new ProductBuilder();
  private readonly offers: OfferBuilder;
  private readonly refs = new RefBuilder();
  private readonly path: string[] = [];
  private depth = 0;
  private section = '';
  private entity = NONE;
  private base = 0;
  private field = 0;
  private fieldDepth = -1;
  private text = '';
  private headerDone = false;
  private rootClosed = false;

  constructor(private readonly options: ReadCmlOptions = {}) {
    this.header = new HeaderState(options.fileName === undefined ? undefined : detectKind(options.fileName));
    this.priceTypes = new Set(options.knownPriceTypes);
    this.offers = new OfferBuilder(this.priceTypes, () => this.parser.line);
    const p = this.parser;
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', () => this.close());
    p.on('text', (t) => {
      if (this.fieldDepth > 0) this.text += t;
    });
    p.on('cdata', (t) => {
      if (this.fieldDepth > 0) this.text += t;
    });
  }

  write(text: string): void {
    this.parser.write(text);
  }

  end(): void {
    this.parser.close();
    if (!this.rootClosed) throw this.error('Файл оборвался: корневой элемент не закрыт / the file is truncated');
  }

  /** The items found since the last call. */
  take(): CmlItem[] {
    const items = this.out;
    this.out = [];
    return items;
  }

  /** Any failure as a CmlError with the file name and, when it had none, the current line. */
  wrap(e: unknown): CmlError {
    const file = this.options.fileName === undefined ? '' : `${this.options.fileName}: `;
    if (e instanceof CmlError) {
      const line = e.line ?? this.parser.line;
      const reason = file + e.reason;
      return e instanceof CmlNotCatalogError ? new CmlNotCatalogError(reason, line) : new CmlError(reason, line, e.code);
    }
    const xml = xmlErrorMessage(e instanceof Error ? e.message : String(e));
    return new CmlError(file + xml.message, xml.line ?? this.parser.line);
  }

  private error(message: string, line = this.parser.line): CmlError {
    return new CmlError(message, line);
  }

  private open(tag: SaxesTagPlain): void {
    const name = localName(tag.name);
    const d = ++this.depth;
    this.path[d] = name;
    if (d === 1) return this.openRoot(name, tag.attributes);
    if (d === 2) {
      this.section = name;
      this.header.openSection(name, this.parser.line);
      this.sectionOnlyChanges(attr(tag.attributes, 'СодержитТолькоИзменения'));
      return;
    }
    const rel = d - this.base;
    let field = 0;
    if (this.entity === OFFER) field = this.offers.open(name, rel, this.path, this.base, tag.attributes);
    else if (this.entity === PRODUCT) field = this.products.open(name, rel, this.path[d - 1], tag.attributes);
    else if (this.entity !== NONE) field = this.refs.open(name, rel);
    else field = this.openInSection(name, d, tag.attributes);
    if (field !== 0) {
      this.field = field;
      this.fieldDepth = d;
      this.text = '';
    }
  }

  private openRoot(name: string, attrs: Record<string, string>): void {
    if (name !== 'КоммерческаяИнформация') {
      throw this.error(`Это не файл CommerceML: корневой элемент <${name}> / not a CommerceML file (unknown root)`);
    }
    const h = this.header;
    h.schemaVersion = attr(attrs, 'ВерсияСхемы')?.trim() ?? '';
    h.generatedAt = clean(attr(attrs, 'ДатаФормирования'));
    h.rootOnlyChanges = parseBool(attr(attrs, 'СодержитТолькоИзменения'));
    h.sawQueryFormat = attr(attrs, 'ФорматДаты') !== undefined;
  }

  private openInSection(name: string, d: number, attrs: Record<string, string>): number {
    const parent = this.path[d - 1];
    if (d === 3) {
      if (name === 'Ид') return SECTION_ID;
      if (name === 'ИдКаталога') return SECTION_CATALOG_ID;
      if (name === 'СодержитТолькоИзменения') return SECTION_ONLY_CHANGES;
    }
    if (name === 'Товар' && parent === 'Товары' && this.section === 'Каталог') {
      this.products.start(attrs);
      this.enter(PRODUCT, d);
    } else if (name === 'Предложение' && parent === 'Предложения' && isPackage(this.section)) {
      this.offers.start(attrs);
      this.enter(OFFER, d);
    } else if ((name === 'ТипЦены' && parent === 'ТипыЦен') || (name === 'Склад' && parent === 'Склады')) {
      this.refs.start(name === 'Склад');
      this.enter(name === 'Склад' ? WAREHOUSE : PRICE_TYPE, d);
    }
    return 0;
  }

  private enter(entity: number, d: number): void {
    this.entity = entity;
    this.base = d;
  }

  private close(): void {
    const d = this.depth--;
    if (d === this.fieldDepth) {
      this.fieldDepth = -1;
      this.assign(this.text);
    }
    if (this.entity === NONE) {
      if (d === 1) this.closeRoot();
      return;
    }
    if (d === this.base) this.closeEntity();
    else if (this.entity === OFFER) this.offers.close(this.path[d] ?? '', d - this.base);
  }

  private assign(text: string): void {
    const f = this.field;
    if (this.entity === OFFER) this.offers.set(f, text);
    else if (this.entity === PRODUCT) this.products.set(f, text);
    else if (this.entity !== NONE) this.refs.set(f, text);
    else if (f === SECTION_ONLY_CHANGES) this.sectionOnlyChanges(text);
    else if (f === SECTION_ID) this.sectionId(clean(text));
    else if (f === SECTION_CATALOG_ID) this.header.catalogId ??= clean(text);
  }

  private sectionId(id: string | undefined): void {
    const h = this.header;
    if (this.section === 'Каталог') h.catalogId = id;
    else if (this.section === 'Классификатор') h.classifierId ??= id;
    else if (isPackage(this.section)) h.packageId ??= id;
  }

  private sectionOnlyChanges(raw: string | undefined): void {
    this.header.sectionOnlyChanges ??= parseBool(raw);
  }

  private closeEntity(): void {
    const entity = this.entity;
    this.entity = NONE;
    if (entity === OFFER) return this.closeOffer();
    if (entity === PRODUCT) {
      const product = this.products.finish();
      if (!product.id) throw this.error('Товар без Ид / a product without Ид');
      this.ensureHeader(undefined);
      this.out.push({ type: 'product', product });
      return;
    }
    const item = this.refs.finish();
    if (!item) throw this.error(`${entity === WAREHOUSE ? 'Склад' : 'Тип цены'} без Ид / an entry without Ид`);
    if (item.type === 'priceType') this.priceTypes.add(item.priceType.id);
    this.emit(item);
  }

  private closeOffer(): void {
    const b = this.offers;
    const offer = b.finish();
    if (!offer.id) throw this.error('Предложение без Ид / an offer without Ид');
    if (b.problem) {
      throw this.error(`Предложение ${offer.id}: ${b.problem.message}`, b.problem.line);
    }
    this.ensureHeader(b.hint());
    this.out.push({ type: 'offer', offer });
  }

  private closeRoot(): void {
    this.rootClosed = true;
    this.ensureHeader(undefined);
  }

  private emit(item: CmlItem): void {
    (this.headerDone ? this.out : this.pending).push(item);
  }

  private ensureHeader(hint: CmlKind | undefined): void {
    if (this.headerDone) return;
    this.headerDone = true;
    this.out.push({ type: 'header', header: this.header.decide(hint, this.parser.line) }, ...this.pending);
    this.pending = [];
  }
}
