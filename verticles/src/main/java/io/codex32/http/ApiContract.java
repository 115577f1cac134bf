package io.codex32.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads openapi.yaml once per process, on a worker thread (parsing and compiling its schemas takes
 * hundreds of milliseconds), for every HTTP verticle instance to share.
 */
public final class ApiContract {

  public static final String RESOURCE = "openapi.yaml";

  private ApiContract() {
  }

  public static Future<OpenAPIContract> load(Vertx vertx) {
    Loader loader = new Loader();
    return vertx.deployVerticle(loader, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .compose(id -> vertx.undeploy(id))
        .map(done -> loader.contract);
  }

  /** Runs the parsing on a worker context, so none of it lands on an event loop. */
  private static final class Loader extends VerticleBase {

    private volatile OpenAPIContract contract;

    @Override
    public Future<?> start() throws IOException {
      return OpenAPIContract.from(vertx, withoutSecurityRequirements(readDocument()))
          .onSuccess(loaded -> contract = loaded);
    }
  }

  /** Blocking read and YAML parse; this runs on the loader's worker thread. */
  private static JsonObject readDocument() throws IOException {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the classpath");
      }
      Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return new JsonObject(document);
    }
  }

  /**
   * The document declares its security for clients and Swagger UI; enforcement is
   * {@link RequestAuthenticator}'s alone, so the router gets the document without requirements
   * (it would otherwise insist on its own authentication handlers).
   */
  private static JsonObject withoutSecurityRequirements(JsonObject raw) {
    raw.remove("security");
    if (raw.getValue("paths") instanceof JsonObject paths) {
      for (Object item : paths.getMap().values()) {
        if (item instanceof Map<?, ?> pathItem) {
          pathItem.values().forEach(ApiContract::removeSecurity);
        } else if (item instanceof JsonObject pathItem) {
          pathItem.forEach(entry -> removeSecurity(entry.getValue()));
        }
      }
    }
    return raw;
  }

  private static void removeSecurity(Object operation) {
    if (operation instanceof JsonObject json) {
      json.remove("security");
    } else if (operation instanceof Map<?, ?> map) {
      map.remove("security");
    }
  }
}
