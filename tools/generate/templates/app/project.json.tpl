{
  "name": "__name__",
  "$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "apps/__name__/src",
  "projectType": "application",
  "tags": ["type:app"]
}
