package io.codex32.chat.intent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * English number words for whole numbers 0 to 999,999, both ways: "five hundred" ↔ 500,
 * "twenty-five" or "twenty five" ↔ 25, "one thousand and fifty" → 1050. Written without "and".
 */
final class NumberWords {

  static final int MAX = 999_999;

  private static final String[] UNITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
  private static final Map<String, Integer> VALUE = values();
  private static final Set<String> ALL = Set.copyOf(VALUE.keySet());

  private NumberWords() {
  }

  /** Whether the word is a number word (or a digit run): used so that "pump two" never resembles "pump three". */
  static boolean isNumberWord(String word) {
    return ALL.contains(word) || "hundred".equals(word) || "thousand".equals(word) || word.chars().allMatch(Character::isDigit);
  }

  /** The words for n (0 ≤ n ≤ {@link #MAX}), e.g. "one thousand two hundred fifty". */
  static String words(int n) {
    if (n < 0 || n > MAX) {
      throw new IllegalArgumentException("out of range: " + n);
    }
    if (n == 0) {
      return UNITS[0];
    }
    List<String> out = new ArrayList<>();
    if (n >= 1000) {
      below1000(n / 1000, out);
      out.add("thousand");
    }
    below1000(n % 1000, out);
    return String.join(" ", out);
  }

  private static void below1000(int n, List<String> out) {
    if (n >= 100) {
      out.add(UNITS[n / 100]);
      out.add("hundred");
    }
    int rest = n % 100;
    if (rest >= 20) {
      out.add(TENS[rest / 10]);
      if (rest % 10 != 0) {
        out.add(UNITS[rest % 10]);
      }
    } else if (rest > 0) {
      out.add(UNITS[rest]);
    }
  }

  /**
   * The number the words (or a single digit run) say, or -1 if they are not exactly one number.
   * Hyphens inside a word split it ("twenty-five").
   */
  static int parse(List<String> tokens) {
    if (tokens.size() == 1 && !tokens.get(0).isEmpty() && tokens.get(0).chars().allMatch(Character::isDigit)) {
      String digits = tokens.get(0);
      return digits.length() > 6 ? -1 : Integer.parseInt(digits);
    }
    List<String> words = new ArrayList<>();
    for (String t : tokens) {
      for (String w : t.split("-")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    if (words.size() == 1 && "zero".equals(words.get(0))) {
      return 0;
    }
    int thousandAt = words.indexOf("thousand");
    if (thousandAt >= 0) {
      int high = below1000(words.subList(0, thousandAt));
      List<String> rest = words.subList(thousandAt + 1, words.size());
      if (!rest.isEmpty() && "and".equals(rest.get(0))) {
        rest = rest.subList(1, rest.size());
        if (rest.isEmpty()) {
          return -1;
        }
      }
      int low = rest.isEmpty() ? 0 : below1000(rest);
      return high <= 0 || low < 0 ? -1 : high * 1000 + low;
    }
    int n = below1000(words);
    return n <= 0 ? -1 : n;
  }

  /** 1..999 from words, "a hundred" allowed; -1 otherwise. */
  private static int below1000(List<String> words) {
    if (words.isEmpty()) {
      return -1;
    }
    int hundredAt = words.indexOf("hundred");
    if (hundredAt < 0) {
      return below100(words);
    }
    if (hundredAt != 1) {
      return -1;
    }
    String head = words.get(0);
    int h = "a".equals(head) ? 1 : unit(head);
    if (h < 1 || h > 9) {
      return -1;
    }
    List<String> rest = words.subList(2, words.size());
    if (!rest.isEmpty() && "and".equals(rest.get(0))) {
      rest = rest.subList(1, rest.size());
      if (rest.isEmpty()) {
        return -1;
      }
    }
    int low = rest.isEmpty() ? 0 : below100(rest);
    return low < 0 ? -1 : h * 100 + low;
  }

  /** 1..99 from one or two words; -1 otherwise. */
  private static int below100(List<String> words) {
    if (words.size() == 1) {
      Integer v = VALUE.get(words.get(0));
      return v == null || v == 0 ? -1 : v;
    }
    if (words.size() == 2) {
      int tens = tens(words.get(0));
      int unit = unit(words.get(1));
      return tens > 0 && unit >= 1 && unit <= 9 ? tens + unit : -1;
    }
    return -1;
  }

  private static int unit(String word) {
    Integer v = VALUE.get(word);
    return v != null && v < 20 ? v : -1;
  }

  private static int tens(String word) {
    Integer v = VALUE.get(word);
    return v != null && v >= 20 ? v : -1;
  }

  private static Map<String, Integer> values() {
    Map<String, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i < UNITS.length; i++) {
      m.put(UNITS[i], i);
    }
    for (int i = 2; i < TENS.length; i++) {
      m.put(TENS[i], i * 10);
    }
    return Map.copyOf(m);
  }
}
