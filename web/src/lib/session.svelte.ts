// Who is signed in; null shows the login page.
export interface Account {
  id: number;
  username: string;
  role: 'viewer' | 'reviewer' | 'admin';
  regionCode: string | null;
}

export const session = $state<{ account: Account | null; checked: boolean }>({ account: null, checked: false });

const RANK = { viewer: 0, reviewer: 1, admin: 2 } as const;

export function can(role: Account['role']): boolean {
  return session.account !== null && RANK[session.account.role] >= RANK[role];
}
