package io.codex32.chat.intent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Resolves a name as said or typed ("the weather station", "pump 2", "analytics v one") against
 * the bots, devices, nodes, pins or workflows that exist.
 *
 * <p>Both sides are compared in their {@link IntentCatalog#spoken(String) spoken form}; the said
 * name is tried as is and without leading "the", "bot", "device", "node", "pin", "workflow".
 * <ol>
 *   <li>Exact: the text equals an id or name (case-insensitive), or a spoken form equals a
 *       candidate's spoken id or name (spaces ignored): {@link NameMatch.Found}. Several candidates
 *       equal in this way (e.g. "pump-2" and "pump2"): {@link NameMatch.Ambiguous}.</li>
 *   <li>Otherwise a score in [0, 1] per candidate: 0.7 × how well the said words are covered by
 *       the candidate's words + 0.3 × how well the candidate's words are covered by the said
 *       words, each word scored by Jaro-Winkler against its best counterpart (below {@value #WORD_FLOOR}
 *       counts as 0), except that number words score 1 only when equal (so "pump three" is not
 *       "pump two"). A said name whose words
 *       all appear in a candidate scores 0.7 + 0.3 × the share of the candidate's words said
 *       ("weather" → "weather station": 0.85; "analytics" → "analytics v one": 0.8).</li>
 *   <li>Best score below {@value #THRESHOLD}: {@link NameMatch.NotFound} with up to three
 *       candidates scoring at least {@value #SUGGEST} as suggestions.</li>
 *   <li>The second best within {@value #MARGIN} of the best and also above the threshold:
 *       {@link NameMatch.Ambiguous} with every candidate that close ("pump" with "pump-1" and
 *       "pump-2"). Otherwise {@link NameMatch.Found}.</li>
 * </ol>
 */
public final class NameMatcher {

  public static final double THRESHOLD = 0.75;
  public static final double MARGIN = 0.05;
  public static final double SUGGEST = 0.5;
  /** Two different words less alike than this count as unrelated (0), so chance letters shared add nothing. */
  public static final double WORD_FLOOR = 0.8;

  private static final Set<String> FILLERS = Set.of("the", "bot", "device", "node", "pin", "workflow");
  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private NameMatcher() {
  }

  private record Scored(Named named, double score) {
  }

  /** Which candidate the said name means. */
  public static NameMatch match(String said, Collection<Named> candidates) {
    if (said == null || said.isBlank() || candidates.isEmpty()) {
      return new NameMatch.NotFound(List.of());
    }
    String typed = said.trim().toLowerCase(Locale.ROOT);
    for (Named c : candidates) {
      if (typed.equalsIgnoreCase(c.id())) {
        return new NameMatch.Found(c);
      }
    }
    for (Named c : candidates) {
      if (c.name() != null && typed.equalsIgnoreCase(c.name())) {
        return new NameMatch.Found(c);
      }
    }
    List<List<String>> forms = saidForms(said);
    List<Named> exact = new ArrayList<>();
    for (Named c : candidates) {
      if (forms(c).stream().anyMatch(f -> forms.stream().anyMatch(s -> String.join("", s).equals(String.join("", f))))) {
        exact.add(c);
      }
    }
    if (exact.size() == 1) {
      return new NameMatch.Found(exact.get(0));
    }
    if (exact.size() > 1) {
      return new NameMatch.Ambiguous(List.copyOf(exact));
    }
    List<Scored> scored = new ArrayList<>();
    for (Named c : candidates) {
      double best = 0;
      for (List<String> f : forms(c)) {
        for (List<String> s : forms) {
          best = Math.max(best, score(s, f));
        }
      }
      scored.add(new Scored(c, best));
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    double top = scored.get(0).score();
    if (top < THRESHOLD) {
      return new NameMatch.NotFound(scored.stream().filter(s -> s.score() >= SUGGEST).limit(3).map(Scored::named).toList());
    }
    List<Named> close = scored.stream().filter(s -> s.score() >= THRESHOLD && top - s.score() < MARGIN).map(Scored::named).toList();
    return close.size() > 1 ? new NameMatch.Ambiguous(close) : new NameMatch.Found(close.get(0));
  }

  /** The said words, and again without leading filler words (if any words remain). */
  private static List<List<String>> saidForms(String said) {
    List<String> words = words(said);
    List<List<String>> forms = new ArrayList<>();
    forms.add(words);
    int i = 0;
    while (i < words.size() - 1 && FILLERS.contains(words.get(i))) {
      i++;
    }
    if (i > 0) {
      forms.add(words.subList(i, words.size()));
    }
    return forms;
  }

  private static List<List<String>> forms(Named c) {
    List<List<String>> forms = new ArrayList<>();
    forms.add(words(c.id()));
    if (c.name() != null && !c.name().isBlank()) {
      forms.add(words(c.name()));
    }
    return forms;
  }

  private static List<String> words(String text) {
    String s = IntentCatalog.spoken(text);
    return s.isEmpty() ? List.of() : List.of(s.split(" "));
  }

  private static double score(List<String> said, List<String> candidate) {
    if (said.isEmpty() || candidate.isEmpty()) {
      return 0;
    }
    return 0.7 * coverage(said, candidate) + 0.3 * coverage(candidate, said);
  }

  /** Mean over {@code of} of each word's best similarity to a word of {@code by}. */
  private static double coverage(List<String> of, List<String> by) {
    double sum = 0;
    for (String w : of) {
      double best = 0;
      for (String b : by) {
        best = Math.max(best, similarity(w, b));
      }
      sum += best;
    }
    return sum / of.size();
  }

  private static double similarity(String a, String b) {
    if (a.equals(b)) {
      return 1;
    }
    if (NumberWords.isNumberWord(a) || NumberWords.isNumberWord(b)) {
      return 0;
    }
    double jw = JARO_WINKLER.apply(a, b);
    return jw >= WORD_FLOOR ? jw : 0;
  }
}
