import { describe, expect, it } from 'vitest';
import { escapeXml } from './xml';

describe('escapeXml', () => {
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;');
    expect(escapeXml('scan\u0001\u0000\u001f\uFFFE.png')).toBe('scan.png');
    expect(escapeXml('tab\tnl\n')).toBe('tab\tnl\n');
    expect(escapeXml('lone \uD800 high, pair \uD83D\uDE00')).toBe('lone  high, pair \uD83D\uDE00');
  });
});
