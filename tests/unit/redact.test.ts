import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { redactSecrets } from '../../src/log/redact.js';

describe('secrets stay out of logs', () => {
  it('masks secrets in free text', () => {
    const text = [
      'GET https://example.bitrix24.ru/rest/1/q8w7e6r5t4y3/crm.deal.list failed',
      'postgres://svodka:s3cr3t@db:5432/svodka',
      'body: access_token=abc.DEF-123&refresh_token=zzz999&member_id=42',
      'Authorization: Bearer eyJhbGciOi.x.y',
      '{"client_secret":"topsecret"}',
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of ['q8w7e6r5t4y3', 's3cr3t', 'abc.DEF-123', 'zzz999', 'eyJhbGciOi', 'topsecret']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('member_id=42');
    expect(out).toContain('https://example.bitrix24.ru/rest/1/***/crm.deal.list');
  });

  it('blanks token fields and secrets inside messages and errors', () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        written += chunk.toString();
        cb();
      },
    });
    const log = createLogger('info', sink);
    log.info({ auth: { access_token: 'AT-1', refresh_token: 'RT-1' }, account: 'acc-1' }, 'refreshed');
    log.error({ err: new Error('call failed: https://p.bitrix24.ru/rest/5/hookhookhook1/') }, 'sync failed for password=hunter2');
    log.info({ token: 'T-9', nested: { password: 'pw-9' } }, 'x');
    for (const secret of ['AT-1', 'RT-1', 'hookhookhook1', 'hunter2', 'T-9', 'pw-9']) expect(written).not.toContain(secret);
    expect(written).toContain('acc-1');
  });
});
