/** Who is asking: the client IP (from X-Forwarded-For only when TRUST_PROXY says so) and user agent. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}
