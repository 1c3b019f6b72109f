#!/usr/bin/env bash
# Rebuilds the vendored front-end files under vigil/static/vendor/.
# Vigil is not a GOV.UK service: GOV.UK Frontend is compiled from its Sass with a
# system font stack (no GDS Transport), and the GDS fonts are not copied.
# Run by hand when upgrading a pinned version; the output is committed, so neither
# `make demo` nor CI needs npm.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm install --silent govuk-frontend@6.6.0 @ministryofjustice/frontend@11.1.0 htmx.org@2.0.11 axe-core@4.14.1 sass@1
out="$here/vigil/static/vendor"
rm -rf "$out/govuk" "$out/moj" "$out/htmx"
mkdir -p "$out/govuk" "$out/moj" "$out/htmx" "$here/tests/browser/vendor"
cat > govuk.scss <<'SCSS'
@use "node_modules/govuk-frontend/dist/govuk" with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-assets-path: "/static/vendor/govuk/assets/"
);
SCSS
npx sass --load-path=. --style=compressed --no-source-map --quiet-deps govuk.scss "$out/govuk/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
cp -r node_modules/govuk-frontend/dist/govuk/assets "$out/govuk/assets"
rm -rf "$out/govuk/assets/fonts" "$out/govuk/assets/rebrand" "$out/govuk/assets/manifest.json"
# GOV.UK favicons, icons and the crest carry the crown; Vigil has its own. The compiled
# CSS names the crest only for the footer's copyright logo, which Vigil never shows.
rm -f "$out"/govuk/assets/images/favicon* "$out"/govuk/assets/images/govuk-icon* \
  "$out"/govuk/assets/images/govuk-opengraph* "$out"/govuk/assets/images/govuk-crest*
sed -i 's#url("/static/vendor/govuk/assets/images/govuk-crest.svg")#none#g' "$out/govuk/govuk-frontend.min.css"
m=node_modules/@ministryofjustice/frontend/moj
sed -e 's#GDS Transport,arial,sans-serif#arial,sans-serif#g' \
    -e 's#url(/assets/#url(/static/vendor/moj/assets/#g' \
    -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$m/moj-frontend.min.css" > "$out/moj/moj-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*##' "$m/moj-frontend.min.js" > "$out/moj/moj-frontend.min.js"
mkdir -p "$out/moj/assets" && cp -r "$m/assets/images" "$out/moj/assets/images"
# The Ministry of Justice's crest, the crown, its sharing image and its app icons.
rm -f "$out"/moj/assets/images/*crest* "$out"/moj/assets/images/*crown* \
  "$out"/moj/assets/images/*opengraph* "$out"/moj/assets/images/*apple-touch*
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/axe-core/axe.min.js "$here/tests/browser/vendor/axe.min.js"
sed -i 's#//\# sourceMappingURL=.*##' "$out/govuk/govuk-frontend.min.js"
rm -rf "$work"
echo "vendored into $out"
