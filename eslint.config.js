// ESLint flat config: typescript-eslint's recommended and type-checked rules over src, test and bench.
// Formatting is Prettier's job; eslint-config-prettier (last) turns off every rule that would disagree with it.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Build output, dependencies and the bench's compiled copy are not source.
    ignores: ["dist/**", "node_modules/**", "coverage/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The project service finds each file's tsconfig.json, so types come from the same program `tsc` checks.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      // A disable comment that no longer disables anything is removed rather than left to mislead.
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      // Object shapes are written as `type` aliases throughout (data shapes and service contracts alike): one way to write them.
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      // Off: `async` is used on purpose without `await` to implement promise-returning contracts (Store, the
      // conversation storage, fake Bot API handlers in tests) over synchronous code, so that a throw becomes a rejection.
      "@typescript-eslint/require-await": "off",
      // Leaving a property out of a copy (`const { text, ...rest } = message`) is how an object loses a field.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    // A function in src/ is at most 80 lines (blank lines and comments not counted): a longer one does several
    // things, and is split into named parts whose names say what each does.
    files: ["src/**/*.ts"],
    rules: {
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests read what the bot sent from the fake Bot API's recorded payloads, which are arbitrary JSON (`any`):
    // drilling into them is the point of a test, so the rules about `any` values do not apply there.
    files: ["test/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Config files run as plain JavaScript, outside every tsconfig: they get the untyped rules only.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
  prettier,
);
