// Authenticated calls to /api/v1: the access token on every request, one refresh and retry when it
// has expired.

import {request} from './http.js';
import * as session from './session.js';

const EXPIRED = new Set(['token_expired', 'invalid_token', 'token_revoked']);

export async function call(method, path, body, headers) {
  await session.fresh();
  try {
    return await request(method, path, {body, token: session.accessToken(), headers});
  } catch (error) {
    if (error.status === 401 && EXPIRED.has(error.code) && session.signedIn()) {
      await session.refresh();
      return request(method, path, {body, token: session.accessToken(), headers});
    }
    throw error;
  }
}

export const get = path => call('GET', path).then(r => r.json);
export const post = (path, body) => call('POST', path, body).then(r => r.json);
export const patch = (path, body, headers) => call('PATCH', path, body, headers).then(r => r.json);
export const del = path => call('DELETE', path).then(r => r.json);

/** Every item of a paged list (limit 500 per page, the API's maximum). */
export async function all(path) {
  const items = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += 500) {
    const page = await get(`${path}${separator}offset=${offset}&limit=500`);
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) {
      return items;
    }
  }
}
