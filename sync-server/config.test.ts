import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config';

describe('configFromEnv: the operator settings of issue 19', () => {
  it('serves http, trusts no proxy and takes no backups unless told to', () => {
    expect(configFromEnv({})).toMatchObject({ tls: null, trustProxy: false, backups: null });
  });

  it('needs both the certificate and its key to serve https', () => {
    expect(configFromEnv({ FIELDNOTES_TLS_CERT: 'a.crt', FIELDNOTES_TLS_KEY: 'a.key' }).tls).toEqual({ certFile: path.resolve('a.crt'), keyFile: path.resolve('a.key') });
    expect(() => configFromEnv({ FIELDNOTES_TLS_CERT: 'a.crt' })).toThrow(/both FIELDNOTES_TLS_CERT and FIELDNOTES_TLS_KEY/);
    expect(() => configFromEnv({ FIELDNOTES_TLS_KEY: 'a.key' })).toThrow(/both FIELDNOTES_TLS_CERT and FIELDNOTES_TLS_KEY/);
  });

  it('reads which proxy to trust: an address, true, or a number of hops', () => {
    expect(configFromEnv({ FIELDNOTES_TRUST_PROXY: '127.0.0.1' }).trustProxy).toBe('127.0.0.1');
    expect(configFromEnv({ FIELDNOTES_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(configFromEnv({ FIELDNOTES_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(configFromEnv({ FIELDNOTES_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('schedules backups from a directory, with an interval and how many to keep', () => {
    expect(configFromEnv({ FIELDNOTES_BACKUP_DIR: 'backups' }).backups).toEqual({ dir: path.resolve('backups'), everyMinutes: 60, keep: 48 });
    expect(configFromEnv({ FIELDNOTES_BACKUP_DIR: 'b', FIELDNOTES_BACKUP_MINUTES: '15', FIELDNOTES_BACKUP_KEEP: '7' }).backups).toMatchObject({ everyMinutes: 15, keep: 7 });
    expect(() => configFromEnv({ FIELDNOTES_BACKUP_DIR: 'b', FIELDNOTES_BACKUP_KEEP: '0' })).toThrow(/FIELDNOTES_BACKUP_KEEP/);
    expect(() => configFromEnv({ FIELDNOTES_BACKUP_DIR: 'b', FIELDNOTES_BACKUP_KEEP: '2.5' })).toThrow(/FIELDNOTES_BACKUP_KEEP/);
    expect(() => configFromEnv({ FIELDNOTES_BACKUP_DIR: 'b', FIELDNOTES_BACKUP_MINUTES: 'often' })).toThrow(/FIELDNOTES_BACKUP_MINUTES/);
  });
});
