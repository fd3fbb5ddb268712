// The admin token lives in sessionStorage: it survives a reload of the tab but not closing it,
// and it never goes into a URL.
const KEY = 'levelConsole.token';

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  save(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
