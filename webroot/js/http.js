// One HTTP exchange with the gateway, its error shape turned into an ApiError people can read.

export class ApiError extends Error {
  constructor(status, code, message, details = [], retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** No answer at all: the gateway is down or the network is. */
  get unreachable() {
    return this.status === 0;
  }
}

const UNREACHABLE = 'The gateway cannot be reached. Check that it is running and that this device can reach it; '
  + 'the page keeps retrying.';

const FALLBACK = {
  401: 'You are not signed in.',
  403: 'Your role does not allow this.',
  404: 'Not found.',
  500: 'The gateway had an internal error; its log has the details.',
  502: 'The gateway is not answering (bad gateway).',
  503: 'The gateway is temporarily unavailable.',
};

/** fetch with JSON in and out; resolves {status, json, headers} for 2xx, rejects with ApiError otherwise. */
export async function request(method, path, {body, token, headers = {}} = {}) {
  const init = {method, headers: {Accept: 'application/json', ...headers}, cache: 'no-store'};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (token) {
    init.headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'unreachable', UNREACHABLE);
  }
  const text = await response.text().catch(() => '');
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (response.ok) {
    return {status: response.status, json, headers: response.headers};
  }
  const error = json && json.error;
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  throw new ApiError(response.status, (error && error.code) || `http_${response.status}`,
    (error && error.message) || FALLBACK[response.status] || `The gateway answered ${response.status}.`,
    (error && error.details) || [], retryAfter);
}
