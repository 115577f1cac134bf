package io.codex32.chat;

/**
 * A reply decided before the action could run (a name that needs asking about, a refusal): carried
 * as a failed future so that resolving, checking and acting compose as one chain.
 */
final class Answer extends RuntimeException {

  private final transient ChatReply reply;

  Answer(ChatReply reply) {
    super(reply.text(), null, false, false);
    this.reply = reply;
  }

  ChatReply reply() {
    return reply;
  }
}
