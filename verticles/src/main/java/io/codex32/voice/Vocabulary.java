package io.codex32.voice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a recogniser may hear, made from the intent templates and the live names: the command
 * sentences as JSGF rule expansions that refer to slots as {@code <name>}, and each slot's spoken
 * values (lower case, words separated by single spaces). Recognition constrained to this is what
 * makes a small offline engine reliable.
 */
public record Vocabulary(List<String> sentences, Map<String, List<String>> slots) {

  private static final Pattern SLOT_REF = Pattern.compile("<([a-z_][a-z0-9_]*)>");
  private static final Pattern WORD = Pattern.compile("[a-z][a-z']*");

  public Vocabulary {
    if (slots.containsKey("command")) {
      throw new IllegalArgumentException("no slot may be called 'command': it is the grammar's public rule");
    }
    sentences = List.copyOf(sentences);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    slots.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    slots = Map.copyOf(copy);
  }

  /**
   * A complete JSGF grammar whose public rule {@code <command>} is any of the sentences. Slot
   * values with a word the engine does not know are left out, and so is a sentence whose slot is
   * left without values (an engine refuses a grammar with unknown words or empty rules).
   */
  public String jsgf(Predicate<String> knownWord) {
    Map<String, List<String>> usable = new LinkedHashMap<>();
    slots.forEach((name, values) -> {
      List<String> known = values.stream().filter(v -> words(v).stream().allMatch(knownWord)).distinct().toList();
      if (!known.isEmpty()) {
        usable.put(name, known);
      }
    });
    List<String> kept = sentences.stream()
        .filter(s -> SLOT_REF.matcher(s).results().allMatch(m -> usable.containsKey(m.group(1))))
        .filter(s -> words(SLOT_REF.matcher(s).replaceAll(" ")).stream().allMatch(knownWord))
        .toList();
    StringBuilder grammar = new StringBuilder("#JSGF V1.0;\ngrammar codex32;\n");
    grammar.append("public <command> = ").append(kept.isEmpty() ? "<VOID>" : "(" + String.join(") | (", kept) + ")").append(";\n");
    usable.forEach((name, values) -> grammar.append('<').append(name).append("> = ").append(String.join(" | ", values)).append(";\n"));
    return grammar.toString();
  }

  /** Every word the sentences and slot values use, sorted: a phrase list for engines without JSGF. */
  public Set<String> words() {
    Set<String> all = new TreeSet<>();
    sentences.forEach(s -> all.addAll(words(SLOT_REF.matcher(s).replaceAll(" "))));
    slots.values().forEach(values -> values.forEach(v -> all.addAll(words(v))));
    return all;
  }

  private static List<String> words(String text) {
    Matcher m = WORD.matcher(text.toLowerCase(java.util.Locale.ROOT));
    return m.results().map(r -> r.group()).toList();
  }
}
