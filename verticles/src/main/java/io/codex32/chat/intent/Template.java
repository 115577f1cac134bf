package io.codex32.chat.intent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One sentence template parsed: words, {@code (a|b)} alternatives, {@code [x]} optional parts and
 * {@code {slot}} references. A problem is an {@link IllegalArgumentException} whose message says
 * only what is wrong with the template; the catalog adds the file and intent.
 */
final class Template {

  /** Expansions beyond this are a mistake in the template, not a use case. */
  static final int MAX_EXPANSIONS = 4096;

  private static final Pattern SLOT_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  sealed interface Part permits Word, Slot, Alt, Opt {
  }

  /** A literal word, lower case. */
  record Word(String text) implements Part {
  }

  /** A slot reference. */
  record Slot(String name) implements Part {
  }

  /** One of several sequences. */
  record Alt(List<List<Part>> choices) implements Part {
  }

  /** A sequence that may be left out. */
  record Opt(List<Part> body) implements Part {
  }

  private final String source;
  private int pos;

  private Template(String source) {
    this.source = source;
  }

  /** The template's parts. */
  static List<Part> parse(String source) {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("empty template");
    }
    Template t = new Template(source);
    List<List<Part>> top = t.alternatives('\0');
    if (t.pos < source.length()) {
      throw new IllegalArgumentException("unbalanced '" + source.charAt(t.pos) + "' at position " + (t.pos + 1));
    }
    List<Part> parts = top.size() == 1 ? top.get(0) : List.of(new Alt(top));
    if (minWords(parts) == 0) {
      throw new IllegalArgumentException("the template can match an empty sentence");
    }
    return parts;
  }

  private List<List<Part>> alternatives(char close) {
    int start = pos;
    List<List<Part>> choices = new ArrayList<>();
    while (true) {
      List<Part> seq = sequence();
      if (seq.isEmpty()) {
        throw new IllegalArgumentException(close == '\0' ? "empty alternative"
            : "empty alternative in the group opened at position " + start);
      }
      choices.add(seq);
      if (pos < source.length() && source.charAt(pos) == '|') {
        pos++;
        continue;
      }
      break;
    }
    if (close != '\0') {
      if (pos >= source.length() || source.charAt(pos) != close) {
        char open = close == ')' ? '(' : '[';
        throw new IllegalArgumentException("unbalanced '" + open + "' at position " + start + " (no matching '" + close + "')");
      }
      pos++;
    }
    return choices;
  }

  private List<Part> sequence() {
    List<Part> parts = new ArrayList<>();
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '(') {
        pos++;
        List<List<Part>> choices = alternatives(')');
        if (choices.size() == 1) {
          parts.addAll(choices.get(0));
        } else {
          parts.add(new Alt(choices));
        }
      } else if (c == '[') {
        pos++;
        List<List<Part>> choices = alternatives(']');
        parts.add(new Opt(choices.size() == 1 ? choices.get(0) : List.of(new Alt(choices))));
      } else if (c == '{') {
        parts.add(slot());
      } else if (c == '|' || c == ')' || c == ']') {
        return parts;
      } else if (c == '}') {
        throw new IllegalArgumentException("unbalanced '}' at position " + (pos + 1));
      } else if (Character.isLetter(c) || c == '\'') {
        int from = pos;
        while (pos < source.length() && (Character.isLetter(source.charAt(pos)) || source.charAt(pos) == '\'')) {
          pos++;
        }
        parts.add(new Word(source.substring(from, pos).toLowerCase(Locale.ROOT)));
      } else {
        throw new IllegalArgumentException("unexpected character '" + c + "' at position " + (pos + 1)
            + " (words are letters and apostrophes; numbers belong in a list slot)");
      }
    }
    return parts;
  }

  private Slot slot() {
    int open = pos;
    int close = source.indexOf('}', pos);
    if (close < 0) {
      throw new IllegalArgumentException("unbalanced '{' at position " + (open + 1) + " (no matching '}')");
    }
    String inner = source.substring(pos + 1, close).trim();
    if (inner.contains("|")) {
      throw new IllegalArgumentException("alternative inside the slot {" + inner + "}: a slot is a single name");
    }
    if (inner.contains("{") || inner.contains("(") || inner.contains("[")) {
      throw new IllegalArgumentException("group inside the slot {" + inner + "}: a slot is a single name");
    }
    if (!SLOT_NAME.matcher(inner).matches()) {
      throw new IllegalArgumentException("bad slot name {" + inner + "}: use lower case letters, digits and _");
    }
    pos = close + 1;
    return new Slot(inner);
  }

  /** The fewest words the parts can match (a slot counts as one). */
  static int minWords(List<Part> parts) {
    int n = 0;
    for (Part p : parts) {
      if (p instanceof Word || p instanceof Slot) {
        n++;
      } else if (p instanceof Alt alt) {
        n += alt.choices().stream().mapToInt(Template::minWords).min().orElse(0);
      }
    }
    return n;
  }

  /** Every slot the parts refer to, in order of appearance (with repeats). */
  static List<String> slots(List<Part> parts) {
    List<String> out = new ArrayList<>();
    collectSlots(parts, out);
    return out;
  }

  private static void collectSlots(List<Part> parts, List<String> out) {
    for (Part p : parts) {
      if (p instanceof Slot s) {
        out.add(s.name());
      } else if (p instanceof Alt alt) {
        alt.choices().forEach(c -> collectSlots(c, out));
      } else if (p instanceof Opt opt) {
        collectSlots(opt.body(), out);
      }
    }
  }

  /** Every word sequence the parts can produce, words and slots only; more than {@link #MAX_EXPANSIONS} is an error. */
  static List<List<Part>> expand(List<Part> parts) {
    List<List<Part>> acc = new ArrayList<>();
    acc.add(List.of());
    for (Part p : parts) {
      List<List<Part>> tails;
      if (p instanceof Alt alt) {
        tails = new ArrayList<>();
        for (List<Part> choice : alt.choices()) {
          tails.addAll(expand(choice));
        }
      } else if (p instanceof Opt opt) {
        tails = new ArrayList<>();
        tails.add(List.of());
        tails.addAll(expand(opt.body()));
      } else {
        tails = List.of(List.of(p));
      }
      if ((long) acc.size() * tails.size() > MAX_EXPANSIONS) {
        throw new IllegalArgumentException("the template expands to more than " + MAX_EXPANSIONS + " sentences");
      }
      List<List<Part>> next = new ArrayList<>(acc.size() * tails.size());
      for (List<Part> head : acc) {
        for (List<Part> tail : tails) {
          List<Part> joined = new ArrayList<>(head);
          joined.addAll(tail);
          next.add(List.copyOf(joined));
        }
      }
      acc = next;
    }
    return acc;
  }

  /** The parts as a JSGF rule expansion; {@code ruleName} names each slot's rule. */
  static String jsgf(List<Part> parts, java.util.function.UnaryOperator<String> ruleName) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (p instanceof Word w) {
        sb.append(w.text());
      } else if (p instanceof Slot s) {
        sb.append('<').append(ruleName.apply(s.name())).append('>');
      } else if (p instanceof Alt alt) {
        sb.append("( ");
        for (int i = 0; i < alt.choices().size(); i++) {
          sb.append(i == 0 ? "" : " | ").append(jsgf(alt.choices().get(i), ruleName));
        }
        sb.append(" )");
      } else if (p instanceof Opt opt) {
        sb.append("[ ").append(jsgf(opt.body(), ruleName)).append(" ]");
      }
    }
    return sb.toString();
  }
}
