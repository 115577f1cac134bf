package io.codex32.supervisor;

import java.util.List;

/** One page of a bot listing ordered by id: {@code total} bots matched the query. */
public record BotPage(List<BotView> items, int total, int offset, int limit) {

  public BotPage {
    items = List.copyOf(items);
  }
}
