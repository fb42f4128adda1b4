/**
 * A small, real parser for the SOQL the bridge sends (API-CONTRACTS 3.1
 * "SOQL"; grammar: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm):
 * `SELECT f, Parent.f | COUNT() FROM T [WHERE cond] [ORDER BY f [ASC|DESC]
 * [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]`. SOSL's RETURNING clauses
 * reuse its field list, condition, ORDER BY and LIMIT parts (sosl.ts). What
 * it does not support is refused with a message naming it, never ignored.
 */

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; text: string; value: string; pos: number }
  | { kind: 'number'; text: string; value: number; pos: number }
  | { kind: 'date'; text: string; pos: number }
  | { kind: 'datetime'; text: string; value: number; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'punct'; text: string; pos: number };

/** A syntax error; soql.ts answers it as MALFORMED_QUERY, sosl.ts as MALFORMED_SEARCH. */
export class ParseError extends Error {}

const SUPPORTED =
  'supported: SELECT with fields, one-level relationship fields (Owner.Email) and COUNT(); FROM one object; WHERE with =, !=, <>, <, >, <=, >=, IN, NOT IN, LIKE, AND, OR, NOT and parentheses; ORDER BY ... ASC|DESC NULLS FIRST|LAST; LIMIT; OFFSET';

/** Something real SOQL has but the simulator does not: said so, naming it. */
export function unsupported(what: string): ParseError {
  return new ParseError(`The Salesforce simulator does not support ${what} (${SUPPORTED}).`);
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;

/** Splits SOQL text into tokens; positions are 1-based columns, as Salesforce reports them. */
export function tokenize(src: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    const pos = offset + i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < src.length; j++) {
        const d = src.charAt(j);
        if (d === '\\') {
          const e = src.charAt(j + 1);
          const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
          // \% and \_ stay escaped: they only mean something to LIKE.
          value += e === '%' || e === '_' ? `\\${e}` : (escapes[e] ?? e);
          j++;
        } else if (d === "'") break;
        else value += d;
      }
      if (j >= src.length) throw new ParseError(`unterminated string literal starting at column ${pos}`);
      tokens.push({ kind: 'string', text: src.slice(i, j + 1), value, pos });
      i = j + 1;
      continue;
    }
    if (c === '"')
      throw new ParseError(`unexpected token: '"' at column ${pos} (strings take single quotes)`);
    const rest = src.slice(i);
    const dt = DATETIME_RE.exec(rest);
    if (dt) {
      const text = dt[0];
      const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw new ParseError(`invalid datetime literal ${text} at column ${pos}`);
      tokens.push({ kind: 'datetime', text, value: ms, pos });
      i += text.length;
      continue;
    }
    const d = DATE_RE.exec(rest);
    if (d) {
      if (Number.isNaN(Date.parse(d[0])))
        throw new ParseError(`invalid date literal ${d[0]} at column ${pos}`);
      tokens.push({ kind: 'date', text: d[0], pos });
      i += d[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num && (c !== '-' || /\d/.test(src.charAt(i + 1)))) {
      tokens.push({ kind: 'number', text: num[0], value: Number(num[0]), pos });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos });
      i += ident[0].length;
      continue;
    }
    const op = /^(!=|<>|<=|>=|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0], pos });
      i += op[0].length;
      continue;
    }
    if ('(),.:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos });
      i++;
      continue;
    }
    if (c === '[' || c === '{' || c === '@' || c === '|') throw unsupported(`'${c}' (column ${pos})`);
    throw new ParseError(`unexpected token: '${c}' at column ${pos}`);
  }
  return tokens;
}

/** A field as written: `Name`, or `Owner.Email` (relationship, one level). */
export interface FieldPath {
  path: string[];
  pos: number;
}

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number }
  /** TODAY, LAST_N_DAYS:n...: a range of days, resolved against the simulator's clock (UTC). */
  | { kind: 'dateLiteral'; name: string; n: number };

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'cmp'; field: FieldPath; op: '=' | '!=' | '<' | '>' | '<=' | '>='; value: Literal }
  | { kind: 'in'; field: FieldPath; values: Literal[]; negate: boolean }
  | { kind: 'like'; field: FieldPath; pattern: string };

export interface OrderBy {
  field: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

export type SelectItem =
  | { kind: 'field'; field: FieldPath }
  /** `COUNT()`: only the count, no rows. */
  | { kind: 'count' }
  /** `COUNT(field) [alias]`: one AggregateResult row. */
  | { kind: 'countField'; field: FieldPath; alias: string | null };

export interface SoqlQuery {
  select: SelectItem[];
  from: string;
  where: Condition | null;
  orderBy: OrderBy[];
  limit: number | null;
  offset: number | null;
}

const DATE_LITERALS = ['TODAY', 'YESTERDAY', 'TOMORROW'];
const DATE_LITERALS_N = ['LAST_N_DAYS', 'NEXT_N_DAYS'];
/** Real SOQL date literals the simulator does not compute. */
const OTHER_DATE_LITERALS =
  /^(LAST_WEEK|THIS_WEEK|NEXT_WEEK|LAST_MONTH|THIS_MONTH|NEXT_MONTH|LAST_90_DAYS|NEXT_90_DAYS|THIS_QUARTER|LAST_QUARTER|NEXT_QUARTER|THIS_YEAR|LAST_YEAR|NEXT_YEAR|THIS_FISCAL_\w+|LAST_FISCAL_\w+|NEXT_FISCAL_\w+|LAST_N_\w+|NEXT_N_\w+|N_DAYS_AGO|N_\w+_AGO)$/;

/** Clause keywords that end a field list or condition. */
const CLAUSE_WORDS = new Set([
  'FROM',
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'FOR',
  'WITH',
  'USING',
]);
const UNSUPPORTED_CLAUSES: Record<string, string> = {
  GROUP: 'GROUP BY',
  HAVING: 'HAVING',
  FOR: 'FOR VIEW/REFERENCE/UPDATE',
  WITH: 'WITH clauses',
  USING: 'USING SCOPE',
  TYPEOF: 'TYPEOF',
  ALL: 'ALL ROWS',
};

export class Parser {
  private i = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  next(): Token {
    const t = this.tokens[this.i];
    if (!t) throw new ParseError('unexpected end of query');
    this.i++;
    return t;
  }

  isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === 'ident' && t.text.toUpperCase() === word;
  }

  isPunct(p: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === 'punct' && t.text === p;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.i++;
    return true;
  }

  expectWord(word: string): void {
    if (!this.acceptWord(word)) this.unexpected(`expecting ${word}`);
  }

  expectPunct(p: string): void {
    if (!this.isPunct(p)) this.unexpected(`expecting '${p}'`);
    this.i++;
  }

  unexpected(hint = ''): never {
    const t = this.peek();
    if (!t) throw new ParseError(`unexpected end of query${hint ? ` (${hint})` : ''}`);
    const word = t.kind === 'ident' ? t.text.toUpperCase() : '';
    const clause = UNSUPPORTED_CLAUSES[word];
    if (clause) throw unsupported(clause);
    throw new ParseError(`unexpected token: '${t.text}' at column ${t.pos}${hint ? ` (${hint})` : ''}`);
  }

  /** An identifier (object or field name). */
  ident(): string {
    const t = this.next();
    if (t.kind !== 'ident') {
      this.i--;
      this.unexpected('expecting a name');
    }
    return t.text;
  }

  field(): FieldPath {
    const first = this.peek();
    if (first?.kind === 'ident' && first.text.toUpperCase() === 'TYPEOF') throw unsupported('TYPEOF');
    const pos = first?.pos ?? 0;
    const path = [this.ident()];
    while (this.isPunct('.')) {
      this.i++;
      path.push(this.ident());
    }
    if (path.length > 2) throw unsupported(`relationship fields more than one level up (${path.join('.')})`);
    return { path, pos };
  }

  /** The SELECT list (or a RETURNING object's), up to a clause keyword or ')'. */
  selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    for (;;) {
      if (this.isPunct('(')) throw unsupported('subqueries (parent-to-child relationship queries)');
      const t = this.peek();
      if (t?.kind === 'ident' && this.isPunct('(', 1)) {
        const fn = t.text.toUpperCase();
        if (fn !== 'COUNT') throw unsupported(`the function ${t.text}()`);
        this.i += 2;
        if (this.isPunct(')')) {
          this.i++;
          items.push({ kind: 'count' });
        } else {
          const field = this.field();
          this.expectPunct(')');
          const aliasTok = this.peek();
          const alias =
            aliasTok?.kind === 'ident' && !CLAUSE_WORDS.has(aliasTok.text.toUpperCase())
              ? this.ident()
              : null;
          items.push({ kind: 'countField', field, alias });
        }
      } else {
        items.push({ kind: 'field', field: this.field() });
      }
      if (!this.isPunct(',')) break;
      this.i++;
    }
    if (items.some((s) => s.kind !== 'field') && items.length > 1)
      throw unsupported('COUNT() together with other fields (GROUP BY queries)');
    return items;
  }

  /** A condition: SOQL needs parentheses to mix AND and OR at one level. */
  condition(): Condition {
    const items = [this.unary()];
    let joiner: 'and' | 'or' | null = null;
    for (;;) {
      const word = this.isWord('AND') ? 'and' : this.isWord('OR') ? 'or' : null;
      if (!word) break;
      if (joiner && joiner !== word) {
        this.unexpected('use parentheses to combine AND and OR');
      }
      joiner = word;
      this.i++;
      items.push(this.unary());
    }
    return joiner && items.length > 1 ? { kind: joiner, items } : (items[0] as Condition);
  }

  private unary(): Condition {
    if (this.acceptWord('NOT')) return { kind: 'not', item: this.unary() };
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.field();
    if (this.acceptWord('NOT')) {
      if (!this.isWord('IN')) this.unexpected('expecting IN after NOT');
      this.i++;
      return { kind: 'in', field, values: this.valueList(), negate: true };
    }
    if (this.acceptWord('IN')) return { kind: 'in', field, values: this.valueList(), negate: false };
    if (this.acceptWord('LIKE')) {
      const t = this.next();
      if (t.kind !== 'string') {
        this.i--;
        this.unexpected('LIKE takes a quoted pattern');
      }
      return { kind: 'like', field, pattern: t.value };
    }
    if (this.isWord('INCLUDES') || this.isWord('EXCLUDES')) throw unsupported('INCLUDES/EXCLUDES');
    const op = this.peek();
    if (op?.kind !== 'op') this.unexpected('expecting a comparison operator');
    this.i++;
    const norm = op.text === '<>' ? '!=' : (op.text as '=' | '!=' | '<' | '>' | '<=' | '>=');
    return { kind: 'cmp', field, op: norm, value: this.value() };
  }

  private valueList(): Literal[] {
    this.expectPunct('(');
    if (this.isWord('SELECT')) throw unsupported('semi-joins (IN (SELECT ...))');
    const values = [this.value()];
    while (this.isPunct(',')) {
      this.i++;
      values.push(this.value());
    }
    this.expectPunct(')');
    return values;
  }

  value(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value };
      case 'number':
        return { kind: 'number', value: t.value };
      case 'date':
        return { kind: 'date', value: t.text };
      case 'datetime':
        return { kind: 'datetime', value: t.value };
      case 'punct':
        if (t.text === ':') throw unsupported('bind variables (:name)');
        break;
      case 'ident': {
        const word = t.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if (word === 'NULL') return { kind: 'null' };
        if (DATE_LITERALS.includes(word)) return { kind: 'dateLiteral', name: word, n: 1 };
        if (DATE_LITERALS_N.includes(word)) {
          this.expectPunct(':');
          const n = this.next();
          if (n.kind !== 'number' || !Number.isInteger(n.value) || n.value < 0)
            throw new ParseError(`${word} takes a whole number of days (${word}:n)`);
          return { kind: 'dateLiteral', name: word, n: n.value };
        }
        if (OTHER_DATE_LITERALS.test(word)) throw unsupported(`the date literal ${word}`);
        break;
      }
      default:
        break;
    }
    this.i--;
    this.unexpected('expecting a value');
  }

  orderBy(): OrderBy[] {
    const out: OrderBy[] = [];
    for (;;) {
      const field = this.field();
      let descending = false;
      if (this.acceptWord('DESC')) descending = true;
      else this.acceptWord('ASC');
      let nullsLast = descending;
      if (this.acceptWord('NULLS')) {
        if (this.acceptWord('LAST')) nullsLast = true;
        else if (this.acceptWord('FIRST')) nullsLast = false;
        else this.unexpected('expecting FIRST or LAST');
      }
      out.push({ field, descending, nullsLast });
      if (!this.isPunct(',')) break;
      this.i++;
    }
    return out;
  }

  /** A non-negative whole number (LIMIT, OFFSET). */
  count(what: string): number {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.value) || t.value < 0)
      throw new ParseError(`${what} takes a non-negative whole number, not '${t.text}'`);
    return t.value;
  }
}

/** Parses a SOQL query; throws ParseError. */
export function parseSoql(src: string): SoqlQuery {
  const p = new Parser(tokenize(src));
  p.expectWord('SELECT');
  const select = p.selectList();
  p.expectWord('FROM');
  const from = p.ident();
  if (p.isPunct(',')) throw unsupported('several objects in FROM');
  // An alias after the object name (FROM Contact c) is legal SOQL but unused here.
  if (p.peek()?.kind === 'ident' && !CLAUSE_WORDS.has((p.peek()?.text ?? '').toUpperCase()))
    throw unsupported(`object aliases (${p.peek()?.text})`);
  let where: Condition | null = null;
  if (p.acceptWord('WHERE')) where = p.condition();
  let orderBy: OrderBy[] = [];
  if (p.acceptWord('ORDER')) {
    p.expectWord('BY');
    orderBy = p.orderBy();
  }
  let limit: number | null = null;
  if (p.acceptWord('LIMIT')) limit = p.count('LIMIT');
  let offset: number | null = null;
  if (p.acceptWord('OFFSET')) offset = p.count('OFFSET');
  if (!p.done()) p.unexpected();
  return { select, from, where, orderBy, limit, offset };
}
