package io.codex32.bus;

import io.codex32.error.Codex32Exception;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * How a request's failure travels: the reply failure code is the HTTP-like status and the message
 * is {@code {"code","message"}}, so the requester gets the same {@link Codex32Exception} back.
 */
public final class BusFailures {

  private static final String CODE = "code";
  private static final String MESSAGE = "message";

  private BusFailures() {
  }

  /** Fails the request with {@code failure}; anything but a {@link Codex32Exception} becomes 503 {@code fallback}. */
  public static void fail(Message<?> request, Throwable failure, String fallback) {
    Codex32Exception error = failure instanceof Codex32Exception e ? e
        : Codex32Exception.unavailable(fallback, String.valueOf(failure.getMessage()), failure);
    request.fail(error.status(), new JsonObject().put(CODE, error.code()).put(MESSAGE, error.getMessage()).encode());
  }

  /**
   * A reply this build cannot read (a node of a newer contract, or a broken one) is the node's fault,
   * not the client's: 503 {@code unreadable_reply} instead of the 400 the reader raised.
   */
  public static Codex32Exception unreadableReply(String from, UnreadableMessage cause) {
    return Codex32Exception.unavailable("unreadable_reply", from + " answered in a form this gateway cannot read: " + cause.getMessage(),
        cause);
  }

  /** The error a responder failed a request with ({@code refused}: the code when its message is not ours). */
  public static Codex32Exception fromRecipient(ReplyException reply, String refused) {
    try {
      JsonObject error = new JsonObject(String.valueOf(reply.getMessage()));
      return new Codex32Exception(reply.failureCode(), error.getString(CODE, refused), error.getString(MESSAGE, ""));
    } catch (DecodeException e) {
      return Codex32Exception.unprocessable(refused, String.valueOf(reply.getMessage()));
    }
  }
}
