/** A visitor's place from the offline IP database; its own file so browser code can import the type. */
export interface Region {
  country: string | null;
  province: string | null;
  city: string | null;
  isp: string | null;
  /** Short text for the 地理位置 column, e.g. "中国 广东省 深圳市"; '' when unknown. */
  label: string;
}
