/**
 * Browser mode's front door. Everything (page, assets, socket, downloads) needs the session token: either
 * `?token=` in the address, or the HttpOnly SameSite=Strict cookie set when the tokened page first loads.
 * Host and Origin checks stop DNS-rebinding pages from talking to the loopback server.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token travels in the address: never send it on in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensMatch(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies ignore ports, so two servers on one machine need different cookie names. */
export function cookieName(port: number): string {
  return `layerlab_token_${port}`;
}

export function readCookie(request: IncomingMessage, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodedCookieValue(part.slice(index + 1).trim());
  }
  return null;
}

/** A broken %-escape (`%E0%A4%A`) is a cookie that holds no token, not an error that stops the server. */
function decodedCookieValue(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** How much of anything a client sent may appear in an answer: enough to recognise it, never all of it. */
export const SHOWN_INPUT_CHARS = 80;

/** The start of a client's text for a message, marked as cut when it was longer. */
export function excerpt(text: string, limit = SHOWN_INPUT_CHARS): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface AccessPolicy {
  token: string;
  port: () => number;
  /** True when bound to loopback: then the Host header must name loopback too. */
  loopbackOnly: boolean;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostName(hostHeader: string): string {
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return match?.[1] ?? '';
}

/** Why a request must be refused, or null when it may go on. */
export function refusal(request: IncomingMessage, url: URL, policy: AccessPolicy, checkOrigin: boolean): string | null {
  const host = request.headers.host ?? '';
  if (policy.loopbackOnly && !LOOPBACK_NAMES.has(hostName(host))) {
    return 'Forbidden: LayerLab answers only on 127.0.0.1 or localhost.';
  }
  if (checkOrigin) {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let originHost = '';
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        return 'Forbidden: the Origin header is not a valid address.';
      }
      if (originHost !== host.toLowerCase())
        return 'Forbidden: connections are accepted only from the LayerLab page itself.';
    }
  }
  const given = url.searchParams.get('token') ?? readCookie(request, cookieName(policy.port()));
  if (!tokensMatch(given, policy.token)) {
    return 'Forbidden: this LayerLab session needs its token. Open the exact address LayerLab printed (it ends in ?token=...).';
  }
  return null;
}

export function sendPlain(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${message}\n`);
}
