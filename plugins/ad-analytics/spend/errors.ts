import { SvodkaError } from '../../../src/sdk/errors.js';

export type SpendErrorCode =
  | 'spend_empty_file'
  | 'spend_unknown_format'
  | 'spend_unsupported_file'
  | 'spend_bad_file'
  | 'spend_missing_column'
  | 'spend_ambiguous_format'
  | 'spend_bad_value'
  | 'spend_currency_mismatch'
  | 'spend_platform_mismatch'
  | 'spend_bad_options';

/** One thing wrong with one cell or line of the file. */
export interface SpendProblem {
  line: number;
  /** The column's header text (or letter in a spreadsheet) when the problem is in one cell. */
  column?: string;
  message: string;
}

/** How many problems one error lists; the rest are counted. */
export const MAX_PROBLEMS = 20;

/**
 * A spend file that cannot be imported. The whole file is refused (nothing is imported), and the
 * message names every problem found, up to 20, with its line and column.
 */
export class SpendFileError extends SvodkaError {
  readonly problems: SpendProblem[];
  readonly problemCount: number;

  constructor(code: SpendErrorCode, message: string, problems: SpendProblem[] = [], problemCount = problems.length) {
    super(code, message);
    this.problems = problems;
    this.problemCount = problemCount;
  }
}

export function describeProblem(p: SpendProblem): string {
  const where = p.column === undefined ? `line ${p.line}` : `line ${p.line}, column "${p.column}"`;
  return `${where}: ${p.message}`;
}

/** Collects problems while a file is read; `throwIfAny` refuses the file when there were any. */
export class Problems {
  private readonly list: SpendProblem[] = [];
  private total = 0;

  add(problem: SpendProblem): void {
    this.total++;
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
  }

  get count(): number {
    return this.total;
  }

  throwIfAny(fileName: string, code: SpendErrorCode = 'spend_bad_value'): void {
    if (this.total === 0) return;
    const more = this.total > this.list.length ? `; and ${this.total - this.list.length} more` : '';
    const noun = this.total === 1 ? 'problem' : 'problems';
    const message = `${fileName}: ${this.total} ${noun}, nothing was imported: ${this.list.map(describeProblem).join('; ')}${more}`;
    throw new SpendFileError(code, message, [...this.list], this.total);
  }
}
