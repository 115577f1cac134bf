package io.codex32.supervisor;

import io.codex32.bot.BotSpec;
import io.codex32.bus.ExecutorRequest;

/** What the gateway tells a bot's node to do with it. */
enum NodeCommand {
  START, STOP, RESTART, REMOVE;

  /** Whether the command may launch the bot's process (and so needs a node). */
  boolean launches() {
    return this == START || this == RESTART;
  }

  ExecutorRequest request(BotSpec spec) {
    return switch (this) {
      case START -> new ExecutorRequest.Start(spec, null);
      case RESTART -> new ExecutorRequest.Restart(spec, null);
      case STOP -> new ExecutorRequest.Stop(spec.id());
      case REMOVE -> new ExecutorRequest.Remove(spec.id());
    };
  }
}
