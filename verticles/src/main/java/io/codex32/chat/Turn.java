package io.codex32.chat;

import io.codex32.chat.intent.IntentMatch;

/** One understood utterance on its way to an action: what was asked, by whom, in which conversation. */
record Turn(IntentMatch match, Asker asker, Conversation conversation) {

  String slot(String name) {
    return match.slot(name);
  }

  String intent() {
    return match.intent();
  }
}
