package io.codex32.chat.intent;

import io.codex32.chat.intent.Template.Part;
import io.codex32.chat.intent.Template.Slot;
import io.codex32.chat.intent.Template.Word;
import io.codex32.voice.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * The chat's intents: sentence templates read from {@code conf/intents/en.yaml} (plus optional
 * extra files of the same format), matched against what a person typed or said.
 *
 * <p>Matching is case-insensitive, ignores punctuation and extra spaces, and covers the whole
 * utterance. Of all templates that match, the most specific wins: fewest words taken by free
 * slots, then most words matched literally or by a list slot, then the intent declared first in
 * the file, then the template written first. So "start the weather station" gives bot = "weather
 * station" (the optional "the" is a literal), and "stop that" is {@code stop_bot} without a slot
 * rather than {@code stop_bot} with bot = "that". Two intents producing the very same sentence is
 * rejected when loading.
 *
 * <p>Free slots keep the words as typed (lower case); list slots give the list's value ({@code out}
 * if the value has one); a range list gives the number as digits ("five hundred" → "500").
 * Immutable and thread-safe.
 */
public final class IntentCatalog {

  /** The shipped templates, a classpath resource. */
  public static final String BUILT_IN = "conf/intents/en.yaml";
  /** Longer utterances are not commands: no match. */
  public static final int MAX_TEXT_CHARS = 500;
  public static final int MAX_WORDS = 40;

  private static final int MAX_NUMBER_WORDS = 8;
  /** {@code <command>} is the grammar's public rule: the {@code command} slot's rule needs another name. */
  private static final Map<String, String> RULE_NAMES = Map.of("command", "command_slot");
  private static final String TARGET = "target";
  static final Pattern SPOKEN_VALUE = Pattern.compile("[a-z']+( [a-z']+)*");
  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();


  /** A full parse of one flat sentence: how specific it is and the slot values. */
  private record Parse(int free, int fixed, Map<String, String> slots) {
  }

  record ListValue(List<String> said, String out) {
  }

  record Range(int from, int to, List<Integer> spoken) {
  }

  record SlotList(List<ListValue> values, Range range) {
  }

  record Sentence(String source, List<Part> parts, List<List<Part>> flat) {
  }

  record Intent(String name, List<String> slots, boolean help, List<Sentence> sentences) {
  }

  private final Map<String, Intent> intents;
  private final Map<String, SlotList> lists;

  IntentCatalog(Map<String, Intent> intents, Map<String, SlotList> lists) {
    this.intents = intents;
    this.lists = lists;
  }

  /** The shipped intents only. */
  public static IntentCatalog builtIn() {
    return load(List.of());
  }

  /**
   * The shipped intents extended by {@code extraFiles} (same format): their sentences are added to
   * the shipped intents' and their list values to the shipped lists. A file that cannot be read
   * or is invalid is an {@link IllegalArgumentException} naming it.
   */
  public static IntentCatalog load(List<Path> extraFiles) {
    return IntentFiles.read(extraFiles);
  }

  /** The intent the text asks for, if any template matches all of it. */
  public Optional<IntentMatch> match(String text) {
    List<String> tokens = tokens(text);
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    Parse best = null;
    String bestIntent = null;
    for (Intent intent : intents.values()) {
      for (Sentence sentence : intent.sentences()) {
        for (List<Part> flat : sentence.flat()) {
          Parse p = parse(flat, 0, tokens, 0);
          if (p != null && (best == null || better(p, best))) {
            best = p;
            bestIntent = intent.name();
          }
        }
      }
    }
    return best == null ? Optional.empty() : Optional.of(new IntentMatch(bestIntent, best.slots()));
  }

  private static boolean better(Parse a, Parse b) {
    return a.free() != b.free() ? a.free() < b.free() : a.fixed() > b.fixed();
  }

  /** The most specific parse of {@code flat[i..]} over {@code tokens[j..]}, or null. */
  private Parse parse(List<Part> flat, int i, List<String> tokens, int j) {
    if (i == flat.size()) {
      return j == tokens.size() ? new Parse(0, 0, Map.of()) : null;
    }
    int left = tokens.size() - j;
    if (left < flat.size() - i) {
      return null;
    }
    Part part = flat.get(i);
    if (part instanceof Word w) {
      if (!w.text().equals(tokens.get(j))) {
        return null;
      }
      Parse rest = parse(flat, i + 1, tokens, j + 1);
      return rest == null ? null : new Parse(rest.free(), rest.fixed() + 1, rest.slots());
    }
    String slot = ((Slot) part).name();
    SlotList list = lists.get(slot);
    Parse best = null;
    int maxTake = left - (flat.size() - i - 1);
    if (list == null) {
      for (int k = 1; k <= maxTake; k++) {
        Parse rest = parse(flat, i + 1, tokens, j + k);
        if (rest != null) {
          Parse p = new Parse(rest.free() + k, rest.fixed(), with(rest.slots(), slot, String.join(" ", tokens.subList(j, j + k))));
          best = best == null || better(p, best) ? p : best;
        }
      }
      return best;
    }
    for (ListValue v : list.values()) {
      int k = v.said().size();
      if (k <= maxTake && tokens.subList(j, j + k).equals(v.said())) {
        Parse rest = parse(flat, i + 1, tokens, j + k);
        if (rest != null) {
          Parse p = new Parse(rest.free(), rest.fixed() + k, with(rest.slots(), slot, v.out()));
          best = best == null || better(p, best) ? p : best;
        }
      }
    }
    if (list.range() != null) {
      for (int k = 1; k <= Math.min(maxTake, MAX_NUMBER_WORDS); k++) {
        int n = NumberWords.parse(tokens.subList(j, j + k));
        if (n >= list.range().from() && n <= list.range().to()) {
          Parse rest = parse(flat, i + 1, tokens, j + k);
          if (rest != null) {
            Parse p = new Parse(rest.free(), rest.fixed() + k, with(rest.slots(), slot, Integer.toString(n)));
            best = best == null || better(p, best) ? p : best;
          }
        }
      }
    }
    return best;
  }

  private static Map<String, String> with(Map<String, String> slots, String name, String value) {
    Map<String, String> m = new HashMap<>(slots);
    m.put(name, value);
    return m;
  }

  /**
   * The words of a text as matching sees them: lower case, punctuation dropped except inside a
   * word ("weather-station", "what's", "v1.2"), thousands separators removed ("1,500" → "1500").
   * Over {@link #MAX_TEXT_CHARS} characters or {@link #MAX_WORDS} words: no words at all.
   */
  static List<String> tokens(String text) {
    if (text == null || text.length() > MAX_TEXT_CHARS) {
      return List.of();
    }
    String s = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("(\\d),(?=\\d{3}\\b)", "$1");
    s = s.replaceAll("[^\\p{L}\\p{N}'\\-_.]+", " ");
    List<String> out = new ArrayList<>();
    for (String raw : s.trim().split(" +")) {
      String t = raw.replaceAll("^['\\-_.]+|['\\-_.]+$", "");
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out.size() > MAX_WORDS ? List.of() : out;
  }

  /** One readable example per intent meant for the help reply, slots shown as {@code <bot>}; in file order. */
  public List<String> examples() {
    return intents.values().stream().filter(Intent::help).map(this::example).toList();
  }

  private String example(Intent intent) {
    List<String> words = new ArrayList<>();
    exampleWords(intent.sentences().get(0).parts(), words);
    return String.join(" ", words);
  }

  /** First alternative, optional parts left out, free slots as {@code <name>}, list slots as their first value. */
  private void exampleWords(List<Part> parts, List<String> out) {
    for (Part p : parts) {
      if (p instanceof Word w) {
        out.add(w.text());
      } else if (p instanceof Slot s) {
        SlotList list = lists.get(s.name());
        if (list != null && !list.values().isEmpty()) {
          out.add(String.join(" ", list.values().get(0).said()));
        } else if (list != null && list.range() != null) {
          out.add(NumberWords.words(list.range().spoken().isEmpty() ? list.range().from() : list.range().spoken().get(0)));
        } else {
          out.add("<" + s.name() + ">");
        }
      } else if (p instanceof Template.Alt alt) {
        exampleWords(alt.choices().get(0), out);
      }
    }
  }

  /**
   * Up to {@code max} examples (as in {@link #examples()}) closest to the text, best first: for
   * "I did not understand; try: …". Closeness is how well the text's words cover an intent's
   * literal words (Jaro-Winkler per word, so typos count as near) blended with the Jaro-Winkler
   * similarity of the whole text to the nearest sentence. Never empty when max &gt; 0.
   */
  public List<String> suggestions(String text, int max) {
    if (max <= 0) {
      return List.of();
    }
    List<String> said = tokens(text);
    String joined = String.join(" ", said);
    record Scored(String example, double score) {
    }
    List<Scored> scored = new ArrayList<>();
    for (Intent intent : intents.values()) {
      if (!intent.help()) {
        continue;
      }
      double best = 0;
      for (Sentence sentence : intent.sentences()) {
        for (List<Part> flat : sentence.flat().subList(0, Math.min(200, sentence.flat().size()))) {
          List<String> literal = flat.stream().filter(p -> p instanceof Word).map(p -> ((Word) p).text()).toList();
          best = Math.max(best, closeness(said, joined, literal));
        }
      }
      scored.add(new Scored(example(intent), best));
    }
    return scored.stream().sorted(Comparator.comparingDouble(Scored::score).reversed()).limit(max).map(Scored::example).toList();
  }

  private static double closeness(List<String> said, String joined, List<String> literal) {
    if (literal.isEmpty() || said.isEmpty()) {
      return 0;
    }
    double covered = 0;
    for (String word : literal) {
      double w = 0;
      for (String s : said) {
        w = Math.max(w, JARO_WINKLER.apply(word, s));
      }
      covered += w;
    }
    return 0.7 * covered / literal.size() + 0.3 * JARO_WINKLER.apply(joined, String.join(" ", literal));
  }

  /**
   * Every sentence as a JSGF rule expansion with slots as rules, for a constrained recogniser.
   * Free slots take their values from {@code slotValues} (spoken forms of live names, put through
   * {@link #spoken(String)}); {@code target} defaults to all the free slots' values together.
   * List slots take the spoken forms of their lists ("five hundred", never "500"). The slot
   * {@code command} is the rule {@code <command_slot>} since {@code <command>} is the grammar's
   * public rule; every other slot's rule has the slot's name.
   */
  public Vocabulary vocabulary(Map<String, List<String>> slotValues) {
    Set<String> free = new LinkedHashSet<>();
    intents.values().forEach(i -> i.slots().stream().filter(s -> !lists.containsKey(s)).forEach(free::add));
    Map<String, List<String>> slots = new LinkedHashMap<>();
    for (String name : free) {
      Set<String> values = new LinkedHashSet<>();
      List<String> given = slotValues.get(name);
      if (given == null && TARGET.equals(name)) {
        free.stream().filter(f -> !TARGET.equals(f)).map(slotValues::get).filter(v -> v != null).forEach(v -> spokenAll(v, values));
      } else if (given != null) {
        spokenAll(given, values);
      }
      if (!values.isEmpty()) {
        slots.put(ruleName(name), List.copyOf(values));
      }
    }
    lists.forEach((name, list) -> {
      Set<String> values = new LinkedHashSet<>();
      list.values().forEach(v -> values.add(String.join(" ", v.said())));
      if (list.range() != null) {
        list.range().spoken().forEach(n -> values.add(NumberWords.words(n)));
      }
      slots.put(ruleName(name), List.copyOf(values));
    });
    List<String> sentences = intents.values().stream()
        .flatMap(i -> i.sentences().stream())
        .map(s -> Template.jsgf(s.parts(), IntentCatalog::ruleName))
        .distinct()
        .toList();
    return new Vocabulary(sentences, slots);
  }

  private static void spokenAll(List<String> names, Set<String> into) {
    for (String n : names) {
      String s = spoken(n);
      if (SPOKEN_VALUE.matcher(s).matches()) {
        into.add(s);
      }
    }
  }

  private static String ruleName(String slot) {
    return RULE_NAMES.getOrDefault(slot, slot);
  }

  /**
   * How a name or id is said: lower case, {@code - _ .} and other punctuation as spaces,
   * camelCase split, runs of digits as number words ("analytics-v1" → "analytics v one",
   * "pump2" → "pump two", "gpio17" → "gpio seventeen", "weatherStation" → "weather station").
   * A digit run longer than six digits or with a leading zero is said digit by digit.
   */
  public static String spoken(String name) {
    if (name == null) {
      return "";
    }
    String s = name.replaceAll("(\\p{Ll})(\\p{Lu})", "$1 $2").replaceAll("(\\p{Lu})(\\p{Lu}\\p{Ll})", "$1 $2");
    s = s.replaceAll("(\\p{L})(\\p{N})", "$1 $2").replaceAll("(\\p{N})(\\p{L})", "$1 $2");
    s = s.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("[^\\p{L}\\p{N}']+", " ");
    List<String> out = new ArrayList<>();
    for (String word : s.trim().split(" +")) {
      String w = word.replaceAll("^'+|'+$", "");
      if (w.isEmpty()) {
        continue;
      }
      if (w.chars().allMatch(Character::isDigit)) {
        if (w.length() <= 6 && (w.length() == 1 || w.charAt(0) != '0')) {
          out.add(NumberWords.words(Integer.parseInt(w)));
        } else {
          w.chars().forEach(c -> out.add(NumberWords.words(c - '0')));
        }
      } else {
        out.add(w);
      }
    }
    return String.join(" ", out);
  }

}
