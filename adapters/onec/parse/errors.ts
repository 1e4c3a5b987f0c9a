import { SvodkaError } from '../../../src/sdk/index.js';

/** A CommerceML file we cannot read: the message is meant for the 1C user, with the line when known. */
export class CmlError extends SvodkaError {
  /** The message without the line. */
  readonly reason: string;

  constructor(
    message: string,
    readonly line?: number,
    code = 'cml_invalid',
  ) {
    super(code, line === undefined ? message : `${message} (строка ${line} / line ${line})`);
    this.reason = message;
  }
}

/** A well-formed CommerceML file that is not a catalog (orders, a site's reply to mode=query): skip it. */
export class CmlNotCatalogError extends CmlError {
  constructor(message: string, line?: number) {
    super(message, line, 'cml_not_catalog');
  }
}
