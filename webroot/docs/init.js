// Swagger UI for the gateway's own OpenAPI document, served from the jar (no CDN).
window.ui = SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
});
