import test from 'ava';
import { LAN_LABEL, SEARCH_ENGINE_NAMES, lookupRegion, parseReferrer, parseUserAgent } from '../src/visitors/visit-info.ts';

// Real user agents as browsers and crawlers send them.
const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  wechatAndroid:
    'Mozilla/5.0 (Linux; Android 13; V2171A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5235 MMWEBSDK/20230701 MMWEBID/2285 MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidTablet: 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  cubotPhone: 'Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0.4430.210 Mobile Safari/537.36',
};

const BOTS = {
  headlessChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.155 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  baiduspider: 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  baiduspiderMobile:
    'Mozilla/5.0 (Linux;u;Android 4.2.2;zh-cn;) AppleWebKit/534.46 (KHTML,like Gecko) Version/5.1 Mobile Safari/10600.6.3 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  sogouWeb: 'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
  sogouWap: 'Sogou wap spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
  spider360: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 Safari/537.36; 360Spider',
  yandexBot: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  shenmaYisou: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0.3497.81 YisouSpider/5.0 Safari/537.36',
  bytespider:
    'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
  phantomjs: 'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
  curl: 'curl/8.4.0',
  pythonRequests: 'python-requests/2.31.0',
  empty: '',
};

test('VISITOR-ROW-3 browser, OS and device of common browsers', (t) => {
  t.deepEqual(parseUserAgent(UA.chromeWindows), { browser: 'Chrome 124', os: 'Windows 10', device: 'desktop', bot: false });
  t.deepEqual(parseUserAgent(UA.safariIphone), { browser: 'Mobile Safari 17', os: 'iOS 17.4', device: 'mobile', bot: false });
  t.deepEqual(parseUserAgent(UA.wechatAndroid), { browser: 'WeChat 8', os: 'Android 13', device: 'mobile', bot: false });
  t.deepEqual(parseUserAgent(UA.ipad), { browser: 'Mobile Safari 16', os: 'iOS 16.6', device: 'tablet', bot: false });
  t.deepEqual(parseUserAgent(UA.androidTablet), { browser: 'Chrome 120', os: 'Android 13', device: 'tablet', bot: false });
  t.deepEqual(parseUserAgent(UA.edge), { browser: 'Edge 124', os: 'Windows 10', device: 'desktop', bot: false });
  t.deepEqual(parseUserAgent(UA.firefoxLinux), { browser: 'Firefox 125', os: 'Linux', device: 'desktop', bot: false });
});

test('VISITOR-ROW-3 a phone brand containing "bot" is not a bot', (t) => {
  t.false(parseUserAgent(UA.cubotPhone).bot);
});

test('VISITOR-ROW-3 crawlers, headless browsers and scripts are bots', (t) => {
  for (const [name, ua] of Object.entries(BOTS)) t.true(parseUserAgent(ua).bot, name);
  t.is(parseUserAgent(BOTS.headlessChrome).browser, 'Chrome Headless 120');
  t.is(parseUserAgent(BOTS.googlebot).browser, 'Googlebot 2');
  t.is(parseUserAgent(BOTS.baiduspider).browser, 'Baiduspider 2');
});

test('VISITOR-ROW-3 parseUserAgent tolerates garbage', (t) => {
  t.notThrows(() => parseUserAgent(undefined as unknown as string));
  t.notThrows(() => parseUserAgent('x'.repeat(10_000)));
  t.is(parseUserAgent('   ').bot, true);
});

const PAGE = 'https://shop.example.com/products/42?utm_source=x';
const search = (referrer: string, searchEngine: string, keyword: string | null) => ({
  referrer,
  searchEngine,
  keyword,
  source: 'search' as const,
});

test('VISITOR-ROW-3 Baidu keywords in UTF-8, GBK and the mobile site', (t) => {
  const cases: [string, string][] = [
    ['https://www.baidu.com/s?ie=utf-8&wd=%E9%80%80%E6%AC%BE', '退款'],
    // GBK bytes of 退款, as Baidu's GBK pages send them.
    ['https://www.baidu.com/s?ie=gbk&wd=%CD%CB%BF%EE', '退款'],
    ['https://www.baidu.com/s?wd=%C8%E7%BA%CE%CD%CB%BF%EE&ie=GB2312&tn=baidu', '如何退款'],
    // No charset named and not valid UTF-8: guessed as GBK.
    ['https://www.baidu.com/s?wd=%CD%CB%BF%EE', '退款'],
    ['https://m.baidu.com/s?word=%E9%80%80%E6%AC%BE+%E6%B5%81%E7%A8%8B', '退款 流程'],
    ['https://baidu.com/s?wd=refund', 'refund'],
  ];
  for (const [url, keyword] of cases) t.deepEqual(parseReferrer(url, PAGE), search(url, 'baidu', keyword), url);
  // Baidu hides the query on most links today; the engine still counts.
  const link = 'https://www.baidu.com/link?url=abc&eqid=def';
  t.deepEqual(parseReferrer(link, PAGE), search(link, 'baidu', null));
});

test('VISITOR-ROW-3 keywords of every supported engine', (t) => {
  const cases: [string, string, string][] = [
    ['https://www.google.com/search?q=%E9%80%80%E6%AC%BE', 'google', '退款'],
    ['https://www.google.com.hk/search?q=refund+policy&hl=zh-CN', 'google', 'refund policy'],
    ['https://www.google.co.jp/search?q=kefu', 'google', 'kefu'],
    ['https://www.bing.com/search?q=live+chat', 'bing', 'live chat'],
    ['https://cn.bing.com/search?q=%E5%9C%A8%E7%BA%BF%E5%AE%A2%E6%9C%8D', 'bing', '在线客服'],
    ['https://www.sogou.com/web?query=%E9%80%80%E6%AC%BE', 'sogou', '退款'],
    ['https://m.sogou.com/web/searchList.jsp?keyword=%E9%80%80%E6%AC%BE', 'sogou', '退款'],
    ['https://www.so.com/s?q=%E9%80%80%E6%AC%BE&src=srp', 'so360', '退款'],
    ['https://m.sm.cn/s?q=%E9%80%80%E6%AC%BE', 'shenma', '退款'],
    ['https://yandex.ru/search/?text=%D0%B2%D0%BE%D0%B7%D0%B2%D1%80%D0%B0%D1%82', 'yandex', 'возврат'],
    ['https://search.yahoo.com/search?p=refund', 'yahoo', 'refund'],
    ['https://duckduckgo.com/?q=live+chat+widget', 'duckduckgo', 'live chat widget'],
    ['https://search.naver.com/search.naver?query=%ED%99%98%EB%B6%88', 'naver', '환불'],
    // Yahoo Japan names the charset in `ei`.
    ['https://search.yahoo.co.jp/search?p=%95%D4%8B%E0&ei=Shift_JIS', 'yahoojp', '返金'],
    ['https://search.yahoo.co.jp/search?p=%E8%BF%94%E9%87%91&ei=UTF-8', 'yahoojp', '返金'],
  ];
  for (const [url, engine, keyword] of cases) t.deepEqual(parseReferrer(url, PAGE), search(url, engine, keyword), url);
  for (const [, engine] of cases) t.truthy(SEARCH_ENGINE_NAMES[engine], engine);
});

test('VISITOR-ROW-3 an engine referrer without a query is still a search', (t) => {
  t.deepEqual(parseReferrer('https://www.google.com/', PAGE), search('https://www.google.com/', 'google', null));
  t.is(parseReferrer('https://www.bing.com/search?q=+++', PAGE).keyword, null);
});

test('VISITOR-ROW-3 other pages of engine companies are external, not searches', (t) => {
  for (const url of ['https://tieba.baidu.com/p/1', 'https://maps.google.com/?q=x', 'https://mail.yahoo.com/?p=x', 'https://blog.naver.com/x?query=y']) {
    t.deepEqual(parseReferrer(url, PAGE), { referrer: url, searchEngine: null, keyword: null, source: 'external' }, url);
  }
});

test('VISITOR-ROW-3 direct, internal and external visits', (t) => {
  const none = { referrer: null, searchEngine: null, keyword: null, source: 'direct' };
  t.deepEqual(parseReferrer(undefined, PAGE), none);
  t.deepEqual(parseReferrer('', PAGE), none);
  t.deepEqual(parseReferrer('  ', PAGE), none);
  const internal = (r: string) => ({ referrer: r, searchEngine: null, keyword: null, source: 'internal' });
  t.deepEqual(parseReferrer('https://shop.example.com/cart', PAGE), internal('https://shop.example.com/cart'));
  t.deepEqual(parseReferrer('http://SHOP.example.com/', PAGE), internal('http://SHOP.example.com/'));
  t.deepEqual(parseReferrer('https://www.example.com/', 'https://example.com/'), internal('https://www.example.com/'));
  const external = (r: string) => ({ referrer: r, searchEngine: null, keyword: null, source: 'external' });
  t.deepEqual(parseReferrer('https://weibo.com/1234/abc', PAGE), external('https://weibo.com/1234/abc'));
  t.deepEqual(parseReferrer('https://example.com/', PAGE), external('https://example.com/'));
  // Not a URL, or the page URL is not one: reported as-is, never thrown on.
  t.deepEqual(parseReferrer('not a url', PAGE), external('not a url'));
  t.is(parseReferrer('https://shop.example.com/', 'garbage').source, 'external');
});

test('VISITOR-ROW-3 visitor-supplied referrers and keywords are bounded', (t) => {
  const long = `https://www.google.com/search?q=${'a'.repeat(5000)}`;
  const r = parseReferrer(long, PAGE);
  t.is(r.referrer!.length, 2048);
  t.is(r.keyword!.length, 200);
  t.is(parseReferrer('https://www.baidu.com/s?wd=%ZZ%E9%80%80', PAGE).keyword, '%ZZ退');
});

test('REGION-LOOKUP-4 well-known public addresses (bundled ip2region data)', (t) => {
  t.like(lookupRegion('114.114.114.114'), { country: '中国', province: '江苏省', city: '南京市', label: '中国 江苏省 南京市' });
  t.like(lookupRegion('223.5.5.5'), { country: '中国', province: '浙江省', city: '杭州市', isp: '阿里云', label: '中国 浙江省 杭州市' });
  t.like(lookupRegion('120.24.78.68'), { country: '中国', province: '广东省', city: '深圳市', label: '中国 广东省 深圳市' });
  // Municipalities: the city is not repeated in the label.
  t.like(lookupRegion('61.135.169.121'), { country: '中国', city: '北京市', label: '中国 北京市' });
  t.like(lookupRegion('8.8.8.8'), { country: '美国', province: null, city: null, label: '美国' });
  t.like(lookupRegion('1.1.1.1'), { country: '澳大利亚', label: '澳大利亚' });
  // Dual-stack sockets report IPv4 clients in mapped form.
  t.like(lookupRegion('::ffff:114.114.114.114'), { province: '江苏省' });
});

test('REGION-LOOKUP-4 private, loopback and reserved addresses are LAN', (t) => {
  const lan = { country: null, province: null, city: null, isp: null, label: LAN_LABEL };
  t.is(LAN_LABEL, '局域网');
  for (const ip of [
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.1.1',
    '0.0.0.0',
    '255.255.255.255',
    '203.0.113.5',
    '::1',
    '::',
    'fc00::1',
    'fe80::1%eth0',
    '::ffff:10.0.0.1',
  ]) {
    t.deepEqual(lookupRegion(ip), lan, ip);
  }
});

test('REGION-LOOKUP-4 IPv6 addresses and garbage do not throw', (t) => {
  t.like(lookupRegion('2400:3200::1'), { country: '中国', province: '浙江省', city: '杭州市' });
  t.like(lookupRegion('[2a00:1450:4001:80b::200e]'), { country: '德国' });
  t.notThrows(() => lookupRegion('2001:4860:4860::8888'));
  t.notThrows(() => lookupRegion('2001:db8::1'));
  const unknown = { country: null, province: null, city: null, isp: null, label: '' };
  for (const ip of ['', 'abc', '999.1.1.1', '1.2.3', '::gg', undefined as unknown as string]) t.deepEqual(lookupRegion(ip), unknown, String(ip));
});

test('REGION-LOOKUP-4 a lookup takes well under a millisecond', (t) => {
  lookupRegion('1.2.3.4'); // first call loads the database
  const n = 20_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) lookupRegion(`${(i % 200) + 1}.${(i * 7) % 256}.${(i >> 8) % 256}.${i % 250}`);
  for (let i = 0; i < n / 10; i++) lookupRegion(`240e:${(i % 0xffff).toString(16)}::1`);
  const perLookupMs = Number(process.hrtime.bigint() - start) / 1e6 / (n + n / 10);
  t.log(`mean lookup ${(perLookupMs * 1000).toFixed(1)} µs`);
  t.true(perLookupMs < 0.2, `${perLookupMs} ms`);
});
