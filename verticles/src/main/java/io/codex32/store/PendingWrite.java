package io.codex32.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * A write waiting for the writer thread, with the context of its caller so the outcome is
 * delivered there. The outcome is the written document, or for a delete the removed one (null
 * when absent); for {@link Kind#CLOSE} it is null.
 */
final class PendingWrite {

  enum Kind {
    INSERT, UPDATE, UPSERT, DELETE, RESTORE, CLOSE
  }

  final Kind kind;
  final String collection;
  final String id;
  /** The caller's body, copied at submission so later changes by the caller cannot leak in. */
  final JsonObject body;
  /** For {@link Kind#UPDATE} the revision expected (negative: any); for {@link Kind#RESTORE} the revision to store. */
  final long expectedRevision;
  private final Context context;
  private final Promise<Document> promise = Promise.promise();
  private Document outcome;
  private Throwable failure;

  PendingWrite(Kind kind, String collection, String id, JsonObject body, long expectedRevision, Context context) {
    this.kind = kind;
    this.collection = collection;
    this.id = id;
    this.body = body;
    this.expectedRevision = expectedRevision;
    this.context = context;
  }

  static PendingWrite close(Context context) {
    return new PendingWrite(Kind.CLOSE, null, null, null, -1, context);
  }

  Future<Document> future() {
    return promise.future();
  }

  /** Records the outcome; delivered by {@link #complete()} once the batch is durable. */
  void succeed(Document document) {
    this.outcome = document;
  }

  void fail(Throwable cause) {
    this.failure = cause;
  }

  boolean failed() {
    return failure != null;
  }

  void complete() {
    // Documents from the index are shared; the caller gets its own copy of the body.
    Document result = outcome == null ? null : new Document(outcome.id(), outcome.revision(), outcome.body().copy());
    Throwable cause = failure;
    context.runOnContext(v -> {
      if (cause != null) {
        promise.fail(cause);
      } else {
        promise.complete(result);
      }
    });
  }
}
