package io.codex32.http;

import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The web dashboard: the static files of {@code webroot/} and the browser libraries it loads, from
 * WebJars inside the jar (no CDN, so it works offline on a Pi). Mounted by the gateway's HTTP
 * verticle and by the edge node, which serves the same dashboard on its local network.
 */
public final class DashboardRoutes {

  /** Chart.js, loaded by the bot page as {@code /vendor/chart.js/chart.umd.min.js}. */
  static final String CHART_JS_PATH = "/vendor/chart.js/";
  private static final String CHART_JS_ROOT = "META-INF/resources/webjars/chart.js/"
      + webJarVersion("org.webjars.npm", "chart.js") + "/dist";

  private DashboardRoutes() {
  }

  /** The dashboard's files; call after every other route, since it answers whatever path is left. */
  public static void mount(Router router) {
    router.route(CHART_JS_PATH + "*").handler(new BundledFiles(CHART_JS_ROOT, CHART_JS_PATH));
    router.route("/*").handler(new BundledFiles("webroot", "/"));
  }

  /** For a process without the API (the edge node): the dashboard, its responses with the gateway's security headers. */
  public static void mountStandalone(Router router) {
    router.route().handler(new SecurityHeaders());
    mount(router);
  }

  /** The version of a WebJar on the classpath, which is also the folder its files are under. */
  static String webJarVersion(String group, String artifact) {
    String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("WebJar " + group + ":" + artifact + " is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
