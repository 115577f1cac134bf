package io.codex32.chat.intent;

import io.codex32.chat.intent.IntentCatalog.Intent;
import io.codex32.chat.intent.IntentCatalog.ListValue;
import io.codex32.chat.intent.IntentCatalog.Range;
import io.codex32.chat.intent.IntentCatalog.Sentence;
import io.codex32.chat.intent.IntentCatalog.SlotList;
import io.codex32.chat.intent.Template.Part;
import io.codex32.chat.intent.Template.Slot;
import io.codex32.chat.intent.Template.Word;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/** Collects files in order; the first (built-in) one defines intents and lists, the others extend them. */
final class IntentFiles {

  private static final int MAX_FILE_CHARS = 1_000_000;

  private final Map<String, List<String>> intentSlots = new LinkedHashMap<>();
  private final Map<String, Boolean> intentHelp = new HashMap<>();
  private final Map<String, List<Sentence>> sentences = new LinkedHashMap<>();
  private final Map<String, List<ListValue>> listValues = new LinkedHashMap<>();
  private final Map<String, Range> ranges = new HashMap<>();
  /** Flat sentence shape → "intent in file", to reject two intents claiming one sentence. */
  private final Map<String, String> shapes = new HashMap<>();

  /** The built-in file, then {@code extraFiles} in order. */
  static IntentCatalog read(List<Path> extraFiles) {
    IntentFiles builder = new IntentFiles();
    builder.add(IntentCatalog.BUILT_IN, readBuiltIn(), true);
    for (Path file : extraFiles) {
      String text;
      try {
        if (Files.size(file) > MAX_FILE_CHARS) {
          throw new IllegalArgumentException(file + ": larger than " + MAX_FILE_CHARS + " bytes");
        }
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read intents file " + file + ": " + e, e);
      }
      builder.add(file.toString(), text, false);
    }
    return builder.build();
  }

  private static String readBuiltIn() {
    try (InputStream in = IntentFiles.class.getClassLoader().getResourceAsStream(IntentCatalog.BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(IntentCatalog.BUILT_IN + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + IntentCatalog.BUILT_IN, e);
    }
  }

  void add(String file, String text, boolean base) {
    Map<String, Object> root = map(file, "the file", yaml(file, text));
    allowKeys(file, "the file", root, Set.of("lists", "intents"));
    Map<String, Object> lists = root.containsKey("lists") ? map(file, "lists", root.get("lists")) : Map.of();
    lists.forEach((name, def) -> addList(file, name, map(file, "list " + name, def), base));
    if (!root.containsKey("intents")) {
      throw new IllegalArgumentException(file + ": no intents");
    }
    map(file, "intents", root.get("intents")).forEach((name, def) -> addIntent(file, name, map(file, "intent " + name, def), base));
  }

  private void addList(String file, String name, Map<String, Object> def, boolean base) {
    String where = "list " + name;
    allowKeys(file, where, def, base ? Set.of("values", "range", "spoken") : Set.of("values"));
    if (!base && !listValues.containsKey(name)) {
      throw new IllegalArgumentException(file + ": unknown list " + name + " (an extra file can add values to "
          + listValues.keySet() + ")");
    }
    List<ListValue> values = listValues.computeIfAbsent(name, n -> new ArrayList<>());
    if (def.containsKey("values")) {
      for (Object v : list(file, where + " values", def.get("values"))) {
        values.add(listValue(file, where, v));
      }
    }
    if (def.containsKey("range")) {
      Map<String, Object> r = map(file, where + " range", def.get("range"));
      allowKeys(file, where + " range", r, Set.of("from", "to"));
      int from = number(file, where + " range from", r.get("from"));
      int to = number(file, where + " range to", r.get("to"));
      if (from > to) {
        throw new IllegalArgumentException(file + ": " + where + ": range from " + from + " is above to " + to);
      }
      List<Integer> spoken = new ArrayList<>();
      if (def.containsKey("spoken")) {
        for (Object s : list(file, where + " spoken", def.get("spoken"))) {
          int n = number(file, where + " spoken", s);
          if (n < from || n > to) {
            throw new IllegalArgumentException(file + ": " + where + ": spoken number " + n + " is outside the range");
          }
          spoken.add(n);
        }
      }
      ranges.put(name, new Range(from, to, List.copyOf(spoken)));
    } else if (def.containsKey("spoken")) {
      throw new IllegalArgumentException(file + ": " + where + ": spoken needs a range");
    }
    if (values.isEmpty() && !ranges.containsKey(name)) {
      throw new IllegalArgumentException(file + ": " + where + " has neither values nor a range");
    }
  }

  private static ListValue listValue(String file, String where, Object v) {
    String said;
    String out;
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> io = map(file, where + " value", m);
      allowKeys(file, where + " value", io, Set.of("in", "out"));
      said = string(file, where + " value in", io.get("in"));
      out = string(file, where + " value out", io.get("out"));
    } else {
      said = string(file, where + " value", v);
      out = said.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
    String norm = said.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (!IntentCatalog.SPOKEN_VALUE.matcher(norm).matches()) {
      throw new IllegalArgumentException(file + ": " + where + ": value \"" + said
          + "\" must be words of letters (numbers belong in a range)");
    }
    return new ListValue(List.of(norm.split(" ")), out);
  }

  private void addIntent(String file, String name, Map<String, Object> def, boolean base) {
    String where = "intent " + name;
    allowKeys(file, where, def, base ? Set.of("slots", "sentences", "help") : Set.of("sentences"));
    if (!base && !sentences.containsKey(name)) {
      throw new IllegalArgumentException(file + ": unknown intent " + name + " (an extra file can add sentences to "
          + sentences.keySet() + ")");
    }
    if (base) {
      if (sentences.containsKey(name)) {
        throw new IllegalArgumentException(file + ": intent " + name + " is defined twice");
      }
      List<String> slots = new ArrayList<>();
      if (def.containsKey("slots")) {
        for (Object s : list(file, where + " slots", def.get("slots"))) {
          slots.add(string(file, where + " slots", s));
        }
      }
      intentSlots.put(name, List.copyOf(slots));
      Object help = def.getOrDefault("help", "true");
      if (!"true".equals(help) && !"false".equals(help)) {
        throw new IllegalArgumentException(file + ": " + where + ": help must be true or false");
      }
      intentHelp.put(name, "true".equals(help));
      sentences.put(name, new ArrayList<>());
    }
    List<Object> templates = def.containsKey("sentences") ? list(file, where + " sentences", def.get("sentences")) : List.of();
    if (templates.isEmpty()) {
      throw new IllegalArgumentException(file + ": " + where + " has no sentences");
    }
    for (Object t : templates) {
      String source = string(file, where + " sentences", t);
      sentences.get(name).add(sentence(file, name, source));
    }
  }

  private Sentence sentence(String file, String intent, String source) {
    String where = file + ": intent " + intent + ", template \"" + source + "\": ";
    List<Part> parts;
    List<List<Part>> flat;
    try {
      parts = Template.parse(source);
      flat = Template.expand(parts);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
    List<String> used = Template.slots(parts);
    List<String> declared = intentSlots.get(intent);
    for (String slot : used) {
      if (!declared.contains(slot)) {
        throw new IllegalArgumentException(where + "unknown slot {" + slot + "} (intent " + intent + " has "
            + (declared.isEmpty() ? "no slots" : "slots " + declared) + ")");
      }
    }
    for (List<Part> f : flat) {
      List<String> inOne = Template.slots(f);
      if (inOne.size() != new LinkedHashSet<>(inOne).size()) {
        throw new IllegalArgumentException(where + "a slot appears twice in one sentence");
      }
      StringBuilder shape = new StringBuilder();
      for (Part p : f) {
        shape.append(p instanceof Word w ? w.text() : listValues.containsKey(((Slot) p).name()) ? "{" + ((Slot) p).name() + "}" : "{}")
            .append(' ');
      }
      String owner = intent + " (" + file + ")";
      String previous = shapes.putIfAbsent(shape.toString().trim(), owner);
      if (previous != null && !previous.startsWith(intent + " ")) {
        throw new IllegalArgumentException(where + "the sentence \"" + shape.toString().trim() + "\" also belongs to intent " + previous);
      }
    }
    return new Sentence(source, parts, flat);
  }

  IntentCatalog build() {
    Map<String, SlotList> lists = new LinkedHashMap<>();
    listValues.forEach((name, values) -> lists.put(name, new SlotList(List.copyOf(values), ranges.get(name))));
    Map<String, Intent> intents = new LinkedHashMap<>();
    sentences.forEach((name, s) -> intents.put(name, new Intent(name, intentSlots.get(name), intentHelp.get(name), List.copyOf(s))));
    return new IntentCatalog(Collections.unmodifiableMap(intents), Collections.unmodifiableMap(lists));
  }

  private static Object yaml(String file, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(MAX_FILE_CHARS);
    options.setNestingDepthLimit(20);
    // Every scalar stays a string: YAML 1.1 would read yes/no/on/off as booleans.
    Resolver stringsOnly = new Resolver() {
      @Override
      protected void addImplicitResolvers() {
      }
    };
    try {
      return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
          new DumperOptions(), options, stringsOnly).load(text);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String file, String where, Object o) {
    if (!(o instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(file + ": " + where + " must be a mapping");
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(String file, String where, Object o) {
    if (!(o instanceof List<?>)) {
      throw new IllegalArgumentException(file + ": " + where + " must be a list");
    }
    return (List<Object>) o;
  }

  private static String string(String file, String where, Object o) {
    if (!(o instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(file + ": " + where + ": expected a non-empty text, got " + o);
    }
    return s;
  }

  private static int number(String file, String where, Object o) {
    String s = string(file, where, o).trim();
    if (!s.matches("\\d{1,6}")) {
      throw new IllegalArgumentException(file + ": " + where + ": expected a whole number up to " + NumberWords.MAX + ", got " + s);
    }
    return Integer.parseInt(s);
  }

  private static void allowKeys(String file, String where, Map<String, Object> m, Set<String> allowed) {
    for (String key : m.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(file + ": " + where + ": unknown key " + key + " (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }
}
