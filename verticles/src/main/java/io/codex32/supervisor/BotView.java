package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.live.BotLiveView;

/** A bot as an operator sees it: the stored spec, desired state and status, and what is known live about its process. */
public record BotView(Bot bot, BotLiveView live) {
}
