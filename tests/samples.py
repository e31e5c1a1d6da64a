"""Sample lines shared by the stage tests, written for them: news prose, and code-shaped lines
(inline JSON, CSS, JS) that scraped text dumps keep."""

EN = [
    "The central bank raised its main interest rate by a quarter point on Tuesday, citing "
    "persistent inflation in services and a tight labour market.",
    "Officials said the decision was unanimous and that further increases would depend on "
    "data published over the coming months.",
    "Markets had largely expected the move, and the currency was little changed after the "
    "announcement in the capital.",
]

JSON_LINE = (
    '{"props":{"pageProps":{"article":{"id":4821,"section":"world","tags":["rates","banks"],'
    '"byline":"Jane Doe","published":"2025-06-21T09:30:00Z","wordCount":812}},"__N_SSG":true},'
    '"page":"/[section]/[slug]","buildId":"a1b2c3d4","locale":"en-GB"}'
)
CSS_LINE = (
    ".article-body p{margin:0 0 1.2em;font-size:18px;line-height:1.6;color:#222}"
    ".article-body a{color:#0a58ca;text-decoration:underline}"
    "@media (max-width:640px){.article-body p{font-size:16px;margin-bottom:1em}}"
)
JS_LINE = (
    "var googletag = googletag || {}; googletag.cmd = googletag.cmd || []; "
    'googletag.cmd.push(function() { googletag.defineSlot("/1234/news/article", [300, 250], '
    '"div-gpt-ad-1").addService(googletag.pubads()); googletag.enableServices(); });'
)
