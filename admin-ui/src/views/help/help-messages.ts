const en = {
  guide: {
    title: 'User guide',
    search: 'Search the guide',
    results: 'No pages match | One page matches | {n} pages match',
    contents: 'Contents',
    empty: 'This page is not written yet.',
    back: 'Back to the console',
  },
  /** The header's ? icon and the user menu. */
  menu: {
    screenHelp: 'Help for this screen',
    help: 'Help',
    contact: 'Contact support',
    about: 'About',
  },
  about: {
    title: 'About Kefu',
    version: 'Version',
    commit: 'Build',
    unknownCommit: 'unknown',
    licence: 'Licence',
    licenceText: 'Read the licence',
    plugins: 'Enabled plugins',
    noPlugins: 'None',
    database: 'Database',
    databases: { postgresql: 'PostgreSQL', embedded: 'Embedded (PGlite)' },
    nodes: 'Nodes',
    nodesRunning: 'No node reported yet | 1 node running | {n} nodes running',
    mixed: 'The nodes run different versions ({versions}), as during a rolling restart. Finish the update on every node.',
    copy: 'Copy',
    copied: 'Copied. Paste it into your support request.',
  },
  contact: {
    title: 'Contact support',
    intro: 'The people who run this Kefu server can be reached here:',
    email: 'E-mail',
    phone: 'Phone',
    failed: 'Could not read the support contact.',
  },
  autostart: {
    title: 'Start with the computer',
    intro:
      'The console is a web page, so it cannot register itself to start with your computer. Install it as an app instead; the operating system can then open it at start-up, and if you ticked Remember me when signing in it opens signed in.',
    installed: 'This console is running as an installed app.',
    install: 'Install as app',
    installedNow: 'Installed. Now add it to your start-up items as described below.',
    steps: {
      chromium: 'In {browser}: choose Install in the address bar (or the menu’s “Install Kefu”). Then open {apps}, right-click Kefu and turn on “Start app when you sign in”.',
      firefox:
        'Firefox on the desktop does not install web apps. Open the console in Chrome or Edge to install it, or add a shortcut to this address to your start-up folder.',
      safari: 'In Safari on a Mac: File → Add to Dock. Then right-click the icon in the Dock → Options → Open at Login.',
      other: 'Use your browser’s “Install app” or “Add to home screen” command, then add the app to your operating system’s start-up items.',
    },
    appsPage: { chrome: 'chrome://apps', edge: 'edge://apps' },
  },
};

const zhCN: typeof en = {
  guide: {
    title: '用户指南',
    search: '搜索指南',
    results: '没有匹配的页面 | 1 个页面匹配 | {n} 个页面匹配',
    contents: '目录',
    empty: '本页尚未编写。',
    back: '返回控制台',
  },
  menu: {
    screenHelp: '本页帮助',
    help: '帮助',
    contact: '联系支持',
    about: '关于我们',
  },
  about: {
    title: '关于 Kefu',
    version: '版本',
    commit: '构建',
    unknownCommit: '未知',
    licence: '许可证',
    licenceText: '查看许可证全文',
    plugins: '已启用的插件',
    noPlugins: '无',
    database: '数据库',
    databases: { postgresql: 'PostgreSQL', embedded: '内置数据库 (PGlite)' },
    nodes: '节点',
    nodesRunning: '尚无节点上报 | 1 个节点运行中 | {n} 个节点运行中',
    mixed: '各节点运行的版本不同({versions}),通常发生在滚动升级期间。请在所有节点上完成升级。',
    copy: '复制',
    copied: '已复制,可粘贴到支持请求中。',
  },
  contact: {
    title: '联系支持',
    intro: '本 Kefu 服务器的运营方联系方式:',
    email: '电子邮件',
    phone: '电话',
    failed: '无法读取支持联系方式。',
  },
  autostart: {
    title: '计算机启动时自动运行',
    intro:
      '控制台是网页,无法自行注册为开机启动。请将它安装为应用:安装后,操作系统可在开机时打开它;登录时勾选了“记住我”,打开即已登录。',
    installed: '本控制台正以已安装的应用运行。',
    install: '安装为应用',
    installedNow: '已安装。请按下面的说明将它加入开机启动项。',
    steps: {
      chromium: '在 {browser} 中:点击地址栏中的“安装”图标(或菜单中的“安装 Kefu”)。然后打开 {apps},右键点击 Kefu,开启“登录时启动应用”。',
      firefox: '桌面版 Firefox 不支持安装网页应用。请在 Chrome 或 Edge 中打开控制台进行安装,或将本地址的快捷方式放入系统的启动文件夹。',
      safari: '在 Mac 的 Safari 中:文件 → 添加到程序坞。然后右键点击程序坞中的图标 → 选项 → 登录时打开。',
      other: '请使用浏览器的“安装应用”或“添加到主屏幕”命令,然后将该应用加入操作系统的开机启动项。',
    },
    appsPage: { chrome: 'chrome://apps', edge: 'edge://apps' },
  },
};

export default { en, 'zh-CN': zhCN };
