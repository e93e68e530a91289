import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession } from './session';

const session = {
  token: 'abc',
  expiresAt: '2099-01-01T00:00:00.000Z',
  refreshToken: 'def',
  refreshExpiresAt: '2099-01-01T00:00:00.000Z',
  user: { id: 'u1', username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager' as const, teamId: 't1', serviceId: 's1', managerId: '' },
};

describe('the session kept on the device', () => {
  it('survives a reload and can be cleared', () => {
    saveSession(session);
    expect(loadSession()).toEqual(session);
    clearSession();
    expect(loadSession()).toBeNull();
  });

  it('ignores anything stored that is not a session', () => {
    localStorage.setItem('fieldnotes.session', '{not json');
    expect(loadSession()).toBeNull();
    localStorage.setItem('fieldnotes.session', JSON.stringify({ token: 1 }));
    expect(loadSession()).toBeNull();
  });
});
