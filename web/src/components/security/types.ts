/** Shapes of the security-center answers (GET /api/me/sessions, /devices, /activity, /security-events). */

export interface SessionInfo {
  id: string;
  device: string;
  location: string;
  ip: string | null;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

export interface DeviceInfo {
  id: string;
  device: string;
  location: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  current: boolean;
}

export type ActivityResult = 'success' | 'wrong_password' | 'locked' | 'wrong_code' | 'passkey_refused' | 'device_pending' | 'frozen';

export interface ActivityEntry {
  id: string;
  at: string;
  ip: string;
  device: string;
  location: string;
  method: string | null;
  /** One of ActivityResult; a result added later still arrives as a string. */
  result: string;
  riskSignals: string[];
}

export interface ActivityPage {
  entries: ActivityEntry[];
  nextCursor: string | null;
}

export interface SecurityEvent {
  at: string;
  type: string;
  description: string;
  ip: string | null;
  device: string | null;
  location: string | null;
}
