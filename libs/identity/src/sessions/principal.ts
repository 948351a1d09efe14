/** The signed-in caller, as the session guard establishes it for each request. */
export interface Principal {
  sessionId: string;
  userId: string;
  email: string;
  roles: string[];
  amr: string[];
  sessionCreatedAt: string;
  sessionExpiresAt: string;
}
