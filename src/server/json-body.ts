/**
 * Request bodies are parsed here, never by JSON.parse: parseExactJson keeps every number that
 * cannot be represented exactly as a marker the domain validators refuse by field name. Bodies
 * that are not JSON (or not declared as JSON) become markers too, so that the route can refuse
 * them itself, in order with every other request, and the trace records them.
 */
import type { FastifyInstance } from 'fastify';

import { parseExactJson } from '../domain/exact-json.ts';

/** A body that did not parse: the route answers 400 with this detail. */
export class UnparsedBody {
  constructor(readonly detail: string) {}
}

/** A body sent with a content type other than JSON: the route answers 415. */
export class ForeignBody {
  constructor(readonly contentType: string) {}
}

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const source = typeof text === 'string' ? text : text.toString('utf8');
    if (source.trim() === '') {
      done(null, new UnparsedBody('body: must be a JSON object, got an empty body'));
      return;
    }
    try {
      done(null, parseExactJson(source));
    } catch (error) {
      const reason = (error as Error).message;
      done(null, new UnparsedBody(`body: must be valid JSON (${reason})`));
    }
  });

  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, _body, done) => {
    done(null, new ForeignBody(String(request.headers['content-type'] ?? '')));
  });
}
