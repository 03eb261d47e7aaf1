// The rule catalogue of rules.md as data. Every rule the office may cite is here, with
// the basis that makes it a rule and the sentence a notice (通报) can quote; the check
// functions live beside it (report-rules.ts for one report; the rules needing stored
// history are checked by the store against the same entries).
import type { TableId } from '../parser/types.js';

export type Severity = 'error' | 'warning' | 'info';
/** How reviewers call the severities. */
export const SEVERITY_LABEL: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };
/** `report`: one report alone; `history`: across years/documents; `publication`: dates and pages; `peer`: against other agencies */
export type Scope = 'report' | 'history' | 'publication' | 'peer';

export interface RuleDef {
  id: string;
  severity: Severity;
  scope: Scope;
  /** what is checked, in Chinese */
  title: string;
  basis: string;
  /** zh-CN message; {name} placeholders are filled from the violation's params */
  message: string;
  /** tables that must have been read with confidence for the rule to run */
  needs?: TableId[];
  /**
   * tables whose printed layout the rule judges, beside its own cells: where one was read
   * from an image, OCR's misreading of a label may be the cause, so an error is to verify
   */
  layoutOf?: TableId[];
}

export const RULES: RuleDef[] = [
  {
    id: 'S3.ROW_TOTAL', severity: 'error', scope: 'report', needs: ['s3'],
    title: '申请情况表每行：各类申请人之和等于总计',
    basis: '“总计”栏的含义',
    message: '第三部分“{row}”一行：各类申请人合计 {expected}，但“{column}”栏填报 {actual}',
  },
  {
    id: 'S3.OUTCOME_TOTAL', severity: 'error', scope: 'report', needs: ['s3'],
    title: '申请情况表每列：各项办理结果之和等于（七）总计',
    basis: '“（七）总计”的含义',
    message: '第三部分“{column}”列：{parts}之和为 {expected}，但{total}填报 {actual}',
  },
  {
    id: 'S3.BALANCE', severity: 'error', scope: 'report', needs: ['s3'],
    title: '申请情况表每列：一 + 二 = （七）总计 + 四',
    basis: '表中注明的勾稽关系（第一项加第二项之和，等于第三项加第四项之和）',
    message: '第三部分“{column}”列：本年新收与上年结转之和为 {expected}，但（七）总计与结转下年度之和为 {actual}',
  },
  {
    id: 'S4.GROUP_TOTAL', severity: 'error', scope: 'report', needs: ['s4'],
    title: '复议、诉讼表每组：维持 + 纠正 + 其他 + 尚未审结 = 总计',
    basis: '表格含义',
    message: '第四部分“{group}”：结果维持、结果纠正、其他结果、尚未审结之和为 {expected}，但总计填报 {actual}',
  },
  {
    id: 'S.VALUE', severity: 'error', scope: 'report',
    title: '数值合法：件数为非负整数，金额非负（万元金额至多 6 位小数，精确到分）',
    basis: '年度报告格式',
    message: '“{cell}”填报“{printed}”：{problem}',
  },
  {
    id: 'S.BLANK', severity: 'warning', scope: 'report',
    title: '表格单元格未填写（空白、“/”或“—”）',
    basis: '审核实践：空白单元格需核实',
    message: '以下 {count} 个单元格未填写数字（空白、“/”或“—”）：{list}',
  },
  {
    id: 'S2.COUNTY_RULES', severity: 'error', scope: 'report', needs: ['s2'],
    title: '县级及以下机关不应制发规章',
    basis: '《立法法》第九十三条：只有省级和设区的市的人民政府可以制定规章',
    message: '{agency}为县级及以下机关，但第二部分填报本年制发规章 {actual} 件',
  },
  {
    id: 'S2.DOC_STOCK', severity: 'warning', scope: 'report', needs: ['s2'],
    title: '本年制发件数不应大于现行有效件数与本年废止件数之和',
    basis: '合理性',
    message: '第二部分“{row}”：本年制发 {actual} 件，多于现行有效与本年废止之和 {expected} 件',
  },
  {
    id: 'S2.FEE_UNIT', severity: 'warning', scope: 'report', needs: ['s2'],
    title: '行政事业性收费金额应以万元填报',
    basis: '国办公开办函〔2021〕30号规定收费金额单位为万元',
    message: '第二部分行政事业性收费金额 {actual} {reason}，疑似按元而非万元填报',
  },
  {
    id: 'META.SECTIONS', severity: 'error', scope: 'report',
    title: '六个部分齐全且顺序正确',
    basis: '《政府信息公开条例》第五十条',
    message: '报告结构不符合要求：{problem}',
  },
  {
    id: 'META.TITLE', severity: 'warning', scope: 'report',
    title: '标题应为“……年政府信息公开工作年度报告”',
    basis: '审核实践',
    message: '标题“{actual}”不是规范的“××××年政府信息公开工作年度报告”',
  },
  {
    id: 'META.YEAR', severity: 'error', scope: 'report',
    title: '标题、正文开头、统计期限与第六部分的年份一致',
    basis: '审核实践',
    message: '报告中的年份不一致：{list}',
  },
  {
    id: 'META.FORMAT', severity: 'error', scope: 'report', layoutOf: ['s2', 's3'],
    title: '2021 年及以后的报告应使用新格式',
    basis: '国办公开办函〔2021〕30号',
    message: '{year} 年度报告仍使用 2019 年试行格式（{detail}）',
  },
  {
    id: 'TEXT.REQUESTS', severity: 'warning', scope: 'report',
    title: '正文所述件数与表格一致',
    basis: '审核实践',
    message: '正文称“{printed}”（{expected} 件），但表格中{target}为 {actual} 件',
  },
  {
    id: 'TEXT.NO_REQUESTS', severity: 'error', scope: 'report', needs: ['s3'],
    title: '正文是否收到申请与表格一致',
    basis: '数据失准',
    message: '正文与表格不一致：{problem}',
  },
  {
    id: 'TEXT.SECTION5', severity: 'warning', scope: 'report',
    title: '第五部分应写明存在的问题和改进情况',
    basis: '《政府信息公开条例》第五十条',
    message: '第五部分{problem}',
  },
  {
    id: 'TEXT.FEE_NOTICE', severity: 'warning', scope: 'report', needs: ['s3'],
    title: '因逾期未缴费不再处理的申请，第六部分应说明收费情况',
    basis: '国办函〔2020〕109号',
    message: '第三部分有 {actual} 件申请因逾期未缴纳费用不再处理，但第六部分未说明信息处理费收费情况',
  },
  {
    id: 'TEXT.GOV_REVIEW', severity: 'warning', scope: 'report',
    title: '人民政府年度报告应说明考核、社会评议和责任追究情况',
    basis: '《政府信息公开条例》第五十条',
    message: '{agency}的年度报告第一部分未提及政务公开考核、社会评议或责任追究',
  },
  {
    id: 'XY.CARRY', severity: 'error', scope: 'history', needs: ['s3'],
    title: '本年上年结转 = 上年结转下年度',
    basis: '连续性',
    message: '本年“上年结转”{column}栏为 {actual}，但上一年度报告“结转下年度继续办理”为 {expected}',
  },
  {
    id: 'XY.DOC_STOCK', severity: 'warning', scope: 'history', needs: ['s2'],
    title: '现行有效件数 = 上年现行有效 + 本年制发 − 本年废止',
    basis: '连续性',
    message: '“{row}”现行有效 {actual} 件，按上年现行有效、本年制发和废止推算应为 {expected} 件',
  },
  {
    id: 'XY.COPY', severity: 'warning', scope: 'history',
    title: '第一、五部分与上年雷同',
    basis: '国办公开办函〔2021〕30号：内容雷同',
    message: '第{section}部分与上一年度报告高度雷同（相似度 {actual}）',
  },
  {
    id: 'XY.FORMAT_REGRESSION', severity: 'error', scope: 'history',
    title: '上年已用新格式，本年退回旧格式',
    basis: '国办公开办函〔2021〕30号',
    message: '上一年度报告使用 2021 年格式，本年度报告退回 2019 年试行格式',
  },
  {
    id: 'XY.JUMP', severity: 'info', scope: 'history',
    title: '关键数字较上年变化超过五倍',
    basis: '合理性',
    message: '“{cell}”由上年 {expected} 变为 {actual}',
  },
  {
    id: 'PUB.LATE', severity: 'error', scope: 'publication',
    title: '逾期发布',
    basis: '《政府信息公开条例》第四十九条',
    message: '年度报告于 {actual} 发布，晚于 {expected} 的期限',
  },
  {
    id: 'PUB.MISSING', severity: 'error', scope: 'publication',
    title: '未发布年度报告',
    basis: '《政府信息公开条例》第四十九条',
    message: '{agency}未发布 {year} 年度报告（期限 {expected}）',
  },
  {
    id: 'PUB.CHANGED', severity: 'warning', scope: 'publication',
    title: '发布后内容有变动',
    basis: '发布后有变动',
    message: '年度报告在首次采集（{expected}）后内容发生变动（{actual}）',
  },
  {
    id: 'PUB.VERSIONS', severity: 'warning', scope: 'publication',
    title: '同一年度存在多个不同文本',
    basis: '多平台发布',
    message: '{agency} {year} 年度报告存在 {actual} 个不同文本',
  },
  {
    id: 'PUB.IMAGE_ONLY', severity: 'warning', scope: 'publication',
    title: '报告仅以图片或扫描件发布',
    basis: '无障碍与可读性',
    message: '年度报告仅以图片或扫描件发布，数字经 OCR 识别',
  },
  {
    id: 'PUB.WRONG_DOCUMENT', severity: 'error', scope: 'publication',
    title: '年报栏目中的页面不是年度报告',
    basis: '审核实践',
    message: '“{actual}”不是政府信息公开工作年度报告',
  },
  {
    id: 'PEER.OUTLIER', severity: 'info', scope: 'peer',
    title: '与同类机关相差悬殊',
    basis: '比较',
    message: '“{cell}”为 {actual}，同类机关中位数为 {expected}',
  },
];

export const RULE_BY_ID: ReadonlyMap<string, RuleDef> = new Map(RULES.map((r) => [r.id, r]));
