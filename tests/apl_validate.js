// Amazon's APL linter (npm apl-suggester, StaticAplTemplateValidator) over rendered cards.
// Reads [{name, document, datasources}] on stdin; prints {name: [findings]} for every card,
// each finding at any level (the suggester reports all of them as warnings).
const { StaticAplTemplateValidator } = require("apl-suggester");

async function main() {
  const cards = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const validator = new StaticAplTemplateValidator();
  const findings = {};
  for (const card of cards) {
    const found = [
      ...(await validator.validate(card.document)),
      ...(await validator.validateDataSources(card.datasources)),
    ];
    findings[card.name] = found.map((item) => ({
      path: item.path, level: item.level, message: item.errorMessage || item.message,
    }));
  }
  process.stdout.write(JSON.stringify(findings));
}

main().catch((error) => { console.error(error); process.exit(1); });
