/**
 * Where a test browser may say it is and what it may say it runs, beyond the client's defaults
 * (203.0.113.10, "Unknown location"; Chrome 126 on Linux): IP addresses with what the bundled
 * GeoLite2 database makes of them, and user agents.
 */
export const GB = '81.2.69.142'; // Bracknell, GB
export const US = '8.8.8.8'; // US (no city)

export const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
