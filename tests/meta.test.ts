// Title, agency and year as reports print them.
import { describe, expect, it } from 'vitest';
import { agencyLevel } from '../checks/report-rules.js';
import { agencyFromTitle, feeStatementYear, openingYear, periodYear, yearOf } from '../parser/meta.js';

describe('agency from the title', () => {
  it.each([
    ['偃师区行政审批和政务信息管理局2024年政府信息公开工作年度报告', '偃师区行政审批和政务信息管理局'],
    ['文峰区行政审批和政务信息管理局 2024 年政府信息公开工作年度报告', '文峰区行政审批和政务信息管理局'],
    ['郟县人民政府2024年度政府信息公开工作年度报告', '郏县人民政府'],
    ['2024年郏县人民政府政府信息公开工作年度报告', '郏县人民政府'],
    ['郏县卫生健康委员会政府信息公开工作年度报告（2024年度）', '郏县卫生健康委员会'],
    ['关于郏县教育局2023年政府信息公开工作年度报告', '郏县教育局'],
    ['郏县茨芭镇人民政府二〇二四年政府信息公开工作年度报告', '郏县茨芭镇人民政府'],
  ])('%s → %s', (title, agency) => {
    expect(agencyFromTitle(title).agency).toBe(agency);
  });
});

describe('years', () => {
  it('reads the reporting year from title and body, in digits or Chinese numerals', () => {
    expect(yearOf('郏县人民政府二〇二四年政府信息公开工作年度报告')).toBe(2024);
    expect(periodYear('本报告中所使用数据的统计期限自2024年1月1日起至2024年12月31日止。')).toBe(2024);
    expect(openingYear('2023年，我局在区委、区政府的正确领导下')).toBe(2023);
    expect(openingYear('（一）主动公开情况。2023年通过区政府网站')).toBeNull();
    expect(feeStatementYear('按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定，本年度没有产生处理费。')).toBeNull();
    expect(feeStatementYear('本单位 2023 年度未收取政府信息公开信息处理费。')).toBe(2023);
  });
});

describe('administrative level from the name', () => {
  it.each([
    ['郏县人民政府', 'county'],
    ['偃师区住房和城乡建设局', 'county'],
    ['郏县茨芭镇人民政府', 'county'],
    ['洛阳市人民政府', 'above'],
    ['河南省发展和改革委员会', 'above'],
    ['广西壮族自治区人民政府', 'above'],
    ['卫生健康委员会', 'unknown'],
    ['洛阳市住房和城乡建设局', 'above'],
    ['洛阳市社区矫正管理局', 'above'],
    ['洛阳市偃师区城关街道办事处', 'county'],
    ['郑州市金水区人民政府', 'county'],
    ['内蒙古自治区人民政府', 'above'],
    ['阿拉善左旗人民政府', 'county'],
  ])('%s is %s', (name, level) => {
    expect(agencyLevel(name)).toBe(level);
  });
});
